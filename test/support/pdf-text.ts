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

/** GET a PDF route as `auth`: its status, and its text with white space folded (empty unless 200). */
export async function fetchPdfText(
  http: () => import('supertest').Agent | ReturnType<typeof import('supertest')>,
  path: string,
  auth: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const response = await http()
    .get(path)
    .set(auth)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  if (response.status !== 200) return { status: response.status, text: '' };
  return { status: 200, text: pdfText(response.body as Buffer).text.replace(/\s+/g, ' ') };
}
