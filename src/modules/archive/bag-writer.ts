import archiver from 'archiver';
import { createHash } from 'node:crypto';
import { Readable, Transform, type Writable } from 'node:stream';

/**
 * A BagIt 1.0 bag (RFC 8493) written as a ZIP stream: payload files go under `data/` one at a
 * time, each hashed (SHA-256) while it streams through, so a bag of any size passes through a
 * bounded amount of memory; the tag files (`bagit.txt`, `bag-info.txt`, `manifest-sha256.txt`,
 * `tagmanifest-sha256.txt`) follow at the end, when the manifest is known. ZIP by `archiver`
 * (the ZIP writer ExcelJS already brings along: streaming, store or deflate, ZIP64).
 */
export class BagWriter {
  private readonly zip = archiver('zip', { zlib: { level: 6 } });
  private readonly manifest: [string, string][] = [];
  private readonly names = new Set<string>();
  private octets = 0;
  private failure: Error | null = null;

  /** `root`: the bag's folder inside the ZIP (the bag's name). */
  constructor(
    private readonly root: string,
    output: Writable,
  ) {
    this.zip.on('error', (error) => (this.failure ??= error));
    this.zip.on('warning', (error) => (this.failure ??= error));
    this.zip.pipe(output);
  }

  /** A payload file at `data/<path>`; resolves once it is in the ZIP. */
  async addPayload(path: string, content: Buffer | string | Readable): Promise<void> {
    const name = this.unique(`data/${path}`);
    const { sha256, size } = await this.append(name, content);
    this.manifest.push([sha256, name]);
    this.octets += size;
  }

  /** A JSON payload file (pretty, UTF-8). */
  addJson(path: string, value: unknown): Promise<void> {
    return this.addPayload(path, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes the tag files and ends the ZIP. */
  async finish(info: Record<string, string>, baggingDate: string): Promise<void> {
    const tags: [string, string][] = [];
    const tag = async (name: string, text: string): Promise<void> => {
      const { sha256 } = await this.append(name, text);
      tags.push([sha256, name]);
    };
    await tag('bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const lines = Object.entries({
      ...info,
      'Bagging-Date': baggingDate,
      'Payload-Oxum': `${this.octets}.${this.manifest.length}`,
    }).map(([key, value]) => `${key}: ${value.replace(/[\r\n]+/g, ' ')}\n`);
    await tag('bag-info.txt', lines.join(''));
    await tag('manifest-sha256.txt', manifestText(this.manifest));
    await this.append('tagmanifest-sha256.txt', manifestText(tags));
    await this.zip.finalize();
    if (this.failure) throw this.failure;
  }

  /** Stops the ZIP after a failure: the reader gets a truncated stream, not a valid bag. */
  abort(): void {
    this.zip.abort();
  }

  private unique(name: string): string {
    let candidate = name;
    for (let n = 2; this.names.has(candidate); n += 1) {
      const dot = name.lastIndexOf('.');
      candidate =
        dot > name.lastIndexOf('/')
          ? `${name.slice(0, dot)}-${n}${name.slice(dot)}`
          : `${name}-${n}`;
    }
    this.names.add(candidate);
    return candidate;
  }

  private append(
    name: string,
    content: Buffer | string | Readable,
  ): Promise<{ sha256: string; size: number }> {
    if (this.failure) return Promise.reject(this.failure);
    const hash = createHash('sha256');
    let size = 0;
    const source = content instanceof Readable ? content : Readable.from([Buffer.from(content)]);
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    source.once('error', (error) => counted.destroy(error));
    return new Promise((resolve, reject) => {
      const onEntry = (entry: archiver.EntryData): void => {
        if (entry.name !== `${this.root}/${name}`) return;
        cleanup();
        resolve({ sha256: hash.digest('hex'), size });
      };
      const onError = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const cleanup = (): void => {
        this.zip.off('entry', onEntry);
        this.zip.off('error', onError);
        counted.off('error', onError);
      };
      this.zip.on('entry', onEntry);
      this.zip.once('error', onError);
      counted.once('error', onError);
      this.zip.append(source.pipe(counted), { name: `${this.root}/${name}`, date: BAG_DATE });
    });
  }
}

/** Every entry carries one fixed time: the bag's bytes depend on its content, not on the clock. */
const BAG_DATE = new Date('2000-01-01T00:00:00Z');

function manifestText(entries: [string, string][]): string {
  return entries.map(([sha256, name]) => `${sha256}  ${encodePath(name)}\n`).join('');
}

/** RFC 8493 §2.1.3: CR, LF and % in a manifest's path are percent-encoded. */
function encodePath(name: string): string {
  return name.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A file or folder name from data (a contract number, an upload's name): no separators. */
export function safeName(text: string): string {
  const cleaned = text
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what it removes
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  return cleaned.slice(0, 120) || '_';
}
