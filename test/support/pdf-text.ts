import { spawnSync } from 'node:child_process';

/**
 * The text of a PDF, by pdf-parse (pdf.js) in a separate Node process: pdf.js is an ES module
 * that Jest's module system cannot load, a plain `node` can.
 */
export function pdfText(pdf: Buffer): { text: string; pages: number } {
  const script = `
    import { PDFParse } from 'pdf-parse';
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
    const result = await parser.getText();
    process.stdout.write(JSON.stringify({ text: result.text, pages: result.total }));
    await parser.destroy();
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    input: pdf,
    cwd: __dirname,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`pdf-parse failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { text: string; pages: number };
}
