import QRCode from 'qrcode';
import zlib from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A QR code (error correction M, as qrcode's default) as a 1-bit grayscale PNG without alpha:
 * `scale` pixels a module, a quiet zone of `margin` modules. pdfkit embeds such a PNG as it is
 * (its deflated rows become the image stream; no pixel is decoded), where qrcode's own RGBA PNG
 * is inflated, split into an image and an alpha mask and deflated again in every document
 * (docs/benchmarks.md, "Documents"). A few hundred bytes, synchronous, well under a millisecond.
 */
export function qrPng(text: string, { scale = 4, margin = 1 } = {}): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const side = (modules.size + 2 * margin) * scale;
  const rowBytes = Math.ceil(side / 8);
  const raw = Buffer.alloc((rowBytes + 1) * side, 0xff); // white; each row's filter byte set below
  for (let y = 0; y < side; y++) {
    const row = y * (rowBytes + 1);
    raw[row] = 0; // filter: none
    const moduleY = Math.floor(y / scale) - margin;
    if (moduleY < 0 || moduleY >= modules.size) continue;
    for (let x = 0; x < side; x++) {
      const moduleX = Math.floor(x / scale) - margin;
      if (moduleX < 0 || moduleX >= modules.size || !modules.get(moduleY, moduleX)) continue;
      raw[row + 1 + (x >> 3)] &= ~(0x80 >> (x & 7)); // a dark module: 0 (black)
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
