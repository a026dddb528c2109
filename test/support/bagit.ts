import { createHash } from 'node:crypto';
import JSZip from 'jszip';

/** A bag read from its ZIP: the bag's folder and its files by path inside the bag. */
export interface Bag {
  root: string;
  files: Map<string, Buffer>;
}

export async function readBag(zip: Buffer): Promise<Bag> {
  const archive = await JSZip.loadAsync(zip);
  const files = new Map<string, Buffer>();
  let root: string | null = null;
  for (const entry of Object.values(archive.files)) {
    if (entry.dir) continue;
    const slash = entry.name.indexOf('/');
    const top = entry.name.slice(0, slash);
    if (root !== null && top !== root) throw new Error(`two bag folders: ${root}, ${top}`);
    root = top;
    files.set(entry.name.slice(slash + 1), await entry.async('nodebuffer'));
  }
  if (root === null) throw new Error('empty ZIP');
  return { root, files };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function manifest(bag: Bag, name: string, problems: string[]): Map<string, string> {
  const entries = new Map<string, string>();
  const text = bag.files.get(name);
  if (!text) {
    problems.push(`${name}: missing`);
    return entries;
  }
  for (const line of text.toString('utf8').split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!match) {
      problems.push(`${name}: bad line ${JSON.stringify(line)}`);
      continue;
    }
    const path = match[2].replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%');
    entries.set(path, match[1]);
  }
  return entries;
}

/**
 * What a BagIt validator checks (RFC 8493): the declaration, every payload file listed and its
 * SHA-256 equal to the manifest's, nothing listed that is not there, Payload-Oxum, and the tag
 * manifest covering the tag files with their digests. Returns the problems, one line each.
 */
export function validateBag(bag: Bag): string[] {
  const problems: string[] = [];
  const declaration = bag.files.get('bagit.txt')?.toString('utf8');
  if (declaration !== 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')
    problems.push('bagit.txt: not a BagIt 1.0 declaration');
  const payload = manifest(bag, 'manifest-sha256.txt', problems);
  let octets = 0;
  let count = 0;
  for (const [path, bytes] of bag.files) {
    if (!path.startsWith('data/')) continue;
    octets += bytes.length;
    count += 1;
    const listed = payload.get(path);
    if (listed === undefined) problems.push(`${path}: not in the manifest`);
    else if (listed !== sha256(bytes)) problems.push(`${path}: SHA-256 differs from the manifest`);
  }
  for (const path of payload.keys())
    if (!bag.files.has(path)) problems.push(`${path}: listed but missing`);
  const info = bag.files.get('bag-info.txt')?.toString('utf8') ?? '';
  const oxum = /^Payload-Oxum: (\d+)\.(\d+)$/m.exec(info);
  if (!oxum) problems.push('bag-info.txt: no Payload-Oxum');
  else if (Number(oxum[1]) !== octets || Number(oxum[2]) !== count)
    problems.push(`bag-info.txt: Payload-Oxum ${oxum[1]}.${oxum[2]}, payload ${octets}.${count}`);
  const tags = manifest(bag, 'tagmanifest-sha256.txt', problems);
  for (const name of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt'])
    if (!tags.has(name)) problems.push(`tagmanifest-sha256.txt: does not cover ${name}`);
  for (const [path, digest] of tags) {
    const bytes = bag.files.get(path);
    if (!bytes) problems.push(`${path}: listed but missing`);
    else if (digest !== sha256(bytes))
      problems.push(`${path}: SHA-256 differs from the tag manifest`);
  }
  return problems;
}

/** Canonical JSON written here again, from the rule printed in audit-events.json. */
function canonical(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

interface ArchivedEvent {
  seq: number;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data: unknown;
  bodySha256: string;
  prevHash: string;
  hash: string;
}

/**
 * Recomputes every event's links from audit-events.json alone: its body digest, its hash from the
 * previous hash, and the previous hash of consecutive events; the head is at or after the last.
 */
export function checkAuditEvents(text: Buffer): string[] {
  const file = JSON.parse(text.toString('utf8')) as {
    headAtArchiving: { seq: number; hash: string } | null;
    events: ArchivedEvent[];
  };
  const problems: string[] = [];
  const hex = (s: string): string => createHash('sha256').update(s).digest('hex');
  let previous: ArchivedEvent | null = null;
  for (const event of file.events) {
    const body = hex(
      canonical({
        at: event.at,
        actorId: event.actorId,
        actorUsername: event.actorUsername,
        action: event.action,
        entityType: event.entityType,
        entityId: event.entityId,
        data: event.data,
      }),
    );
    if (body !== event.bodySha256) problems.push(`event ${event.seq}: body digest differs`);
    if (hex(`${event.prevHash}\n${event.seq}\n${event.bodySha256}`) !== event.hash)
      problems.push(`event ${event.seq}: hash differs`);
    if (previous && previous.seq + 1 === event.seq && event.prevHash !== previous.hash)
      problems.push(`event ${event.seq}: previous hash is not event ${previous.seq}'s`);
    previous = event;
  }
  if (previous && (!file.headAtArchiving || file.headAtArchiving.seq < previous.seq))
    problems.push('head at archiving before the last event');
  return problems;
}
