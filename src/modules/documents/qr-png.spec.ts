import jsQR from 'jsqr';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { PdfForm } from './pdf-form';
import { qrPng } from './qr-png';

const VERIFY_URL = `https://subsidy.example.gov.cn/public/documents/${'0123456789abcdef'.repeat(4)}`;

/** 1-bit grayscale rows (each after its filter byte, filter 0) as RGBA pixels for jsQR. */
function rgbaOf(rows: Buffer, side: number): Uint8ClampedArray {
  const rowBytes = Math.ceil(side / 8);
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    expect(rows[y * (rowBytes + 1)]).toBe(0);
    for (let x = 0; x < side; x++) {
      const bit = (rows[y * (rowBytes + 1) + 1 + (x >> 3)] >> (7 - (x & 7))) & 1;
      rgba.fill(bit ? 255 : 0, (y * side + x) * 4, (y * side + x) * 4 + 3);
      rgba[(y * side + x) * 4 + 3] = 255;
    }
  }
  return rgba;
}

/** The PNG's chunks by type. */
function chunks(png: Buffer): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    found.set(
      type,
      Buffer.concat([found.get(type) ?? Buffer.alloc(0), png.subarray(at + 8, at + 8 + length)]),
    );
    expect(png.readUInt32BE(at + 8 + length)).toBe(
      zlib.crc32(png.subarray(at + 4, at + 8 + length)),
    );
    at += 12 + length;
  }
  return found;
}

describe('qrPng', () => {
  it('is a 1-bit grayscale PNG without alpha that decodes to its text', () => {
    const png = qrPng(VERIFY_URL);
    const parts = chunks(png);
    const header = parts.get('IHDR') as Buffer;
    const side = header.readUInt32BE(0);
    expect([...header.subarray(8, 13)]).toEqual([1, 0, 0, 0, 0]); // bit depth 1, grayscale
    expect(side % 4).toBe(0); // 4 pixels a module
    expect(png.length).toBeLessThan(600);
    const decoded = jsQR(rgbaOf(zlib.inflateSync(parts.get('IDAT') as Buffer), side), side, side);
    expect(decoded?.data).toBe(VERIFY_URL);
  });

  it('keeps its content at other scales and margins', () => {
    const text =
      'https://subsidy.example.gov.cn/board/notices/5b1e2c0a-8d7f-4e3b-9a61-2f4c8d9e0b17';
    const png = qrPng(text, { scale: 5, margin: 2 });
    const parts = chunks(png);
    const side = (parts.get('IHDR') as Buffer).readUInt32BE(0);
    const decoded = jsQR(rgbaOf(zlib.inflateSync(parts.get('IDAT') as Buffer), side), side, side);
    expect(decoded?.data).toBe(text);
  });

  it('goes into the PDF as it is: one 1-bit DeviceGray image, no alpha mask, that still decodes', async () => {
    const chunksOut: Buffer[] = [];
    const sink = new Writable({
      write(part: Buffer, _encoding, callback) {
        chunksOut.push(part);
        callback();
      },
    });
    const finished = new Promise((resolve) => sink.once('finish', resolve));
    const form = new PdfForm(sink, 'test', {
      generatedAt: '2015-06-30 08:00:00',
      sha256: '0'.repeat(64),
      verifyUrl: VERIFY_URL,
      qrPng: qrPng(VERIFY_URL),
    });
    form.paragraph('第一页').newPage().paragraph('第二页');
    form.end();
    await finished;
    const pdf = Buffer.concat(chunksOut);
    const text = pdf.toString('latin1');
    const images = [...text.matchAll(/<<([^>]*\/Subtype \/Image[\s\S]*?)>>\s*stream\n/g)];
    expect(images).toHaveLength(1); // opened once, shown on both pages
    const dict = images[0][1];
    expect(dict).toMatch(/\/BitsPerComponent 1/);
    expect(dict).toMatch(/\/ColorSpace \/DeviceGray/);
    expect(text).not.toMatch(/\/SMask/);
    const side = Number(/\/Width (\d+)/.exec(dict)?.[1]);
    const start = images[0].index + images[0][0].length;
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const rows = zlib.inflateSync(pdf.subarray(start, start + length));
    expect(jsQR(rgbaOf(rows, side), side, side)?.data).toBe(VERIFY_URL);
  });
});
