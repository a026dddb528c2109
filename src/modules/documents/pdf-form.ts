import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Writable } from 'node:stream';

// fontkit ships with pdfkit; a font parsed once is shared by every document (pdfkit would parse a
// font given by path or Buffer again for every table cell).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require('fontkit') as { create(buffer: Buffer): unknown };

let fonts: { regular: unknown; bold: unknown } | undefined;

/** Noto Sans Hans from @embedpdf/fonts-sc (OFL-1.1): shipped in an npm package, nothing downloaded. */
function cjkFonts(): { regular: unknown; bold: unknown } {
  if (!fonts) {
    const folder = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    fonts = {
      regular: fontkit.create(fs.readFileSync(path.join(folder, 'NotoSansHans-Regular.otf'))),
      bold: fontkit.create(fs.readFileSync(path.join(folder, 'NotoSansHans-Bold.otf'))),
    };
  }
  return fonts;
}

export interface Footer {
  generatedAt: string;
  sha256: string;
  verifyUrl: string;
  qrPng: Buffer;
  /** The head of the contract's audit chain when the document was issued: an anchor outside the database. */
  auditHead?: { chain: string; seq: number; hash: string } | null;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

const MARGIN = 48;
const FOOTER_HEIGHT = 64;

/**
 * An A4 form in Chinese written straight into a stream (pdfkit embeds only the glyphs used):
 * a title, label/value fields, tables whose header is drawn again on every page, text, signature
 * boxes, and on every page a footer with the page number, the time, the document's SHA-256, a
 * QR code of its verification link and the head of its audit chain at issue time.
 */
export class PdfForm {
  private readonly doc: PDFKit.PDFDocument;
  private page = 0;
  /** Opened once: pdfkit embeds an image given as a Buffer again on every page. */
  private qr?: PDFKit.Mixins.ImageSrc;

  constructor(
    output: Writable,
    title: string,
    private readonly footer: Footer,
  ) {
    const { regular, bold } = cjkFonts();
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN + FOOTER_HEIGHT, left: MARGIN, right: MARGIN },
      info: { Title: title, Creator: 'agri-subsidy engine' },
      autoFirstPage: false,
    });
    this.doc.registerFont('cjk', regular as PDFKit.Mixins.PDFFontSource);
    this.doc.registerFont('cjk-bold', bold as PDFKit.Mixins.PDFFontSource);
    this.doc.on('pageAdded', () => this.drawFooter());
    this.doc.pipe(output);
    // openImage is pdfkit's, missing from @types/pdfkit: the opened image is reused on every page.
    const opener = this.doc as unknown as { openImage(src: Buffer): unknown };
    this.qr = opener.openImage(footer.qrPng) as PDFKit.Mixins.ImageSrc;
    this.doc.addPage();
    this.doc.font('cjk').fontSize(10.5);
  }

  get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  title(text: string, subtitle?: string): this {
    this.doc
      .font('cjk-bold')
      .fontSize(18)
      .text(text, MARGIN, this.doc.y, { align: 'center', width: this.width });
    if (subtitle)
      this.doc.font('cjk').fontSize(10).text(subtitle, { align: 'center', width: this.width });
    this.doc.moveDown(0.8).font('cjk').fontSize(10.5);
    return this;
  }

  heading(text: string): this {
    this.ensureSpace(40);
    this.doc
      .moveDown(0.4)
      .font('cjk-bold')
      .fontSize(12)
      .text(text, MARGIN, this.doc.y)
      .font('cjk')
      .fontSize(10.5)
      .moveDown(0.2);
    return this;
  }

  /** Label / value pairs in two columns of a bordered grid. */
  fields(pairs: [string, string][]): this {
    const labelWidth = 110;
    for (const [label, value] of pairs) {
      const height = Math.max(
        20,
        this.doc.heightOfString(value, { width: this.width - labelWidth - 10 }) + 8,
      );
      this.ensureSpace(height);
      const y = this.doc.y;
      this.doc
        .rect(MARGIN, y, labelWidth, height)
        .rect(MARGIN + labelWidth, y, this.width - labelWidth, height)
        .stroke('#888888');
      this.doc.font('cjk-bold').text(label, MARGIN + 5, y + 4, { width: labelWidth - 10 });
      this.doc
        .font('cjk')
        .text(value, MARGIN + labelWidth + 5, y + 4, { width: this.width - labelWidth - 10 });
      this.doc.y = y + height;
    }
    this.doc.x = MARGIN;
    this.doc.moveDown(0.5);
    return this;
  }

  paragraph(text: string): this {
    this.ensureSpace(30);
    this.doc
      .font('cjk')
      .fontSize(10.5)
      .text(text, MARGIN, this.doc.y, { width: this.width, lineGap: 3 })
      .moveDown(0.4);
    return this;
  }

  /** A table; the header is drawn again at the top of each new page. A one-cell row spans the width. */
  table(
    columns: Column[],
    rows: Iterable<string[]>,
    options: { emphasise?: (row: string[]) => boolean; continued?: boolean; last?: boolean } = {},
  ): this {
    const rowHeight = 18;
    const total = columns.reduce((sum, column) => sum + column.width, 0);
    const drawRow = (cells: string[], bold: boolean): void => {
      const y = this.doc.y;
      let x = MARGIN;
      if (cells.length === 1) {
        this.doc
          .rect(x, y, total, rowHeight)
          .fillAndStroke('#f0f0f0', '#999999')
          .fillColor('black');
        this.doc
          .font('cjk-bold')
          .fontSize(9)
          .text(cells[0], x + 3, y + 4, { width: total - 6, lineBreak: false, ellipsis: true });
        this.doc.y = y + rowHeight;
        return;
      }
      this.doc.font(bold ? 'cjk-bold' : 'cjk').fontSize(9);
      for (const [index, column] of columns.entries()) {
        this.doc.rect(x, y, column.width, rowHeight).stroke('#999999');
        this.doc.text(cells[index] ?? '', x + 3, y + 4, {
          width: column.width - 6,
          height: rowHeight - 4,
          align: column.align ?? 'left',
          lineBreak: false,
          ellipsis: true,
        });
        x += column.width;
      }
      this.doc.y = y + rowHeight;
    };
    const header = (): void =>
      drawRow(
        columns.map((column) => column.header),
        true,
      );
    if (!options.continued) {
      this.ensureSpace(rowHeight * 2);
      header();
    }
    for (const row of rows) {
      if (this.doc.y + rowHeight > this.doc.page.height - MARGIN - FOOTER_HEIGHT) {
        this.doc.addPage();
        header();
      }
      drawRow(row, options.emphasise?.(row) ?? false);
    }
    this.doc.x = MARGIN;
    this.doc.font('cjk').fontSize(10.5);
    if (options.last !== false) this.doc.moveDown(0.6);
    return this;
  }

  /**
   * The same table for long lists (a register of thousands of rows): it yields to the event loop
   * after every page, so finished pages flow to the client as they are drawn and other requests
   * are served meanwhile.
   */
  async longTable(
    columns: Column[],
    rows: string[][],
    options: { emphasise?: (row: string[]) => boolean } = {},
  ): Promise<this> {
    const perPage = 36;
    for (let start = 0; start < rows.length || start === 0; start += perPage) {
      const last = start + perPage >= rows.length;
      this.table(columns, rows.slice(start, start + perPage), {
        ...options,
        continued: start > 0,
        last,
      });
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (rows.length === 0) break;
    }
    return this;
  }

  /** A QR code with a caption beside it (e.g. the page where villagers file an objection). */
  qrCode(png: Buffer, caption: string): this {
    const size = 72;
    this.ensureSpace(size + 10);
    const y = this.doc.y;
    this.doc.image(png, MARGIN, y, { width: size });
    this.doc
      .font('cjk')
      .fontSize(9.5)
      .text(caption, MARGIN + size + 10, y + 8, { width: this.width - size - 10 });
    this.doc.x = MARGIN;
    this.doc.y = y + size + 8;
    this.doc.fontSize(10.5);
    return this;
  }

  /** Boxes to sign and stamp (签字盖章). */
  signatureBoxes(labels: string[]): this {
    const height = 56;
    this.ensureSpace(height + 10);
    const width = this.width / labels.length;
    const y = this.doc.y;
    for (const [index, label] of labels.entries()) {
      const x = MARGIN + index * width;
      this.doc.rect(x, y, width, height).stroke('#888888');
      this.doc
        .font('cjk')
        .fontSize(9)
        .text(label, x + 4, y + 4, { width: width - 8 });
      this.doc.text('（签字/盖章）    年   月   日', x + 4, y + height - 16, {
        width: width - 8,
        align: 'right',
      });
    }
    this.doc.x = MARGIN;
    this.doc.y = y + height + 10;
    this.doc.fontSize(10.5);
    return this;
  }

  newPage(): this {
    this.doc.addPage();
    return this;
  }

  get pages(): number {
    return this.page;
  }

  end(): void {
    this.doc.end();
  }

  private ensureSpace(height: number): void {
    if (this.doc.y + height > this.doc.page.height - MARGIN - FOOTER_HEIGHT) this.doc.addPage();
  }

  private drawFooter(): void {
    this.page += 1;
    const { doc } = this;
    const top = doc.page.height - MARGIN - FOOTER_HEIGHT + 12;
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not open a new page
    doc.save();
    doc
      .moveTo(MARGIN, top - 4)
      .lineTo(doc.page.width - MARGIN, top - 4)
      .stroke('#bbbbbb');
    doc.image(this.qr ?? this.footer.qrPng, doc.page.width - MARGIN - 48, top, { width: 48 });
    doc.font('cjk').fontSize(7.5).fillColor('#444444');
    const width = this.width - 60;
    doc.text(`第 ${this.page} 页    生成时间 ${this.footer.generatedAt}`, MARGIN, top, {
      width,
      lineBreak: false,
    });
    doc.text(`SHA-256 ${this.footer.sha256}`, MARGIN, top + 12, { width, lineBreak: false });
    doc.text(`核验 ${this.footer.verifyUrl}`, MARGIN, top + 24, { width, lineBreak: false });
    const head = this.footer.auditHead;
    if (head) {
      doc.text(
        `审计链 ${head.chain} 第 ${head.seq} 条 ${head.hash.slice(0, 16)}`,
        MARGIN,
        top + 36,
        {
          width,
          lineBreak: false,
        },
      );
    }
    doc.restore();
    doc.fillColor('black').font('cjk').fontSize(10.5);
    doc.page.margins.bottom = bottomMargin;
    doc.x = MARGIN;
    doc.y = MARGIN;
  }
}
