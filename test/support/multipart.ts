import { gzipSync } from 'node:zlib';

/** A multipart body as bytes, with the headers to send it with (raw: nothing is fixed up). */
export interface RawMultipart {
  headers: Record<string, string>;
  body: Buffer;
}

const BOUNDARY = '----hostile7MA4YWxkTrZu0gW';
const CRLF = '\r\n';

/** A well-formed body: the text fields, then one file part, then the closing delimiter. */
export function multipartBody(
  fields: Record<string, string>,
  file: { content: Buffer; disposition?: string; partHeaders?: string[] },
  boundary = BOUNDARY,
): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(
        `--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}${CRLF}`,
      ),
    );
  const disposition = file.disposition ?? 'form-data; name="file"; filename="a.pdf"';
  const headers = [
    `Content-Disposition: ${disposition}`,
    'Content-Type: application/pdf',
    ...(file.partHeaders ?? []),
  ];
  parts.push(Buffer.from(`--${boundary}${CRLF}${headers.join(CRLF)}${CRLF}${CRLF}`, 'latin1'));
  parts.push(file.content, Buffer.from(`${CRLF}--${boundary}--${CRLF}`));
  return Buffer.concat(parts);
}

const multipartType = (boundary = BOUNDARY) => `multipart/form-data; boundary=${boundary}`;

/**
 * The nine malformed multipart requests found by probing the service (each answered 500 before
 * uploads were streamed), with the status and code each must get instead. `fields` are the text
 * fields the route takes (`kind` for an attachment).
 */
export function hostileMultiparts(
  fields: Record<string, string> = {},
): { name: string; request: RawMultipart; status: number; code: string }[] {
  const content = Buffer.from('%PDF-1.4\n% hostile upload\n');
  const good = multipartBody(fields, { content });
  const plain = { 'Content-Type': multipartType() };
  return [
    {
      name: 'no boundary',
      request: { headers: { 'Content-Type': 'multipart/form-data' }, body: good },
      status: 400,
      code: 'MALFORMED_REQUEST',
    },
    {
      name: 'a wrong boundary',
      request: { headers: { 'Content-Type': multipartType('----another') }, body: good },
      status: 400,
      code: 'MALFORMED_REQUEST',
    },
    {
      name: 'a body truncated inside the file ("Unexpected end of form")',
      request: { headers: plain, body: good.subarray(0, good.length - 30) },
      status: 400,
      code: 'MALFORMED_REQUEST',
    },
    {
      name: 'no closing delimiter',
      request: {
        headers: plain,
        body: good.subarray(0, good.length - `--${BOUNDARY}--${CRLF}`.length),
      },
      status: 400,
      code: 'MALFORMED_REQUEST',
    },
    {
      name: 'a garbage part header',
      request: {
        headers: plain,
        body: Buffer.concat([
          Buffer.from(`--${BOUNDARY}${CRLF}\u0001\u0002 this is no header${CRLF}${CRLF}x${CRLF}`),
          good,
        ]),
      },
      status: 400,
      code: 'MALFORMED_REQUEST',
    },
    {
      name: '3,000 header lines in a part',
      request: {
        headers: plain,
        body: multipartBody(fields, {
          content,
          partHeaders: Array.from({ length: 3000 }, (_, i) => `X-Filler-${i}: ${'v'.repeat(8)}`),
        }),
      },
      status: 400,
      code: 'MALFORMED_REQUEST',
    },
    {
      // A raw NUL byte in a part header: busboy refuses the header itself.
      name: 'a NUL in the file name',
      request: {
        headers: plain,
        body: multipartBody(fields, {
          content,
          disposition: 'form-data; name="file"; filename="a\u0000.pdf"',
        }),
      },
      status: 400,
      code: 'MALFORMED_REQUEST',
    },
    {
      name: "filename*=UTF-8''a%00.pdf",
      request: {
        headers: plain,
        body: multipartBody(fields, {
          content,
          disposition: `form-data; name="file"; filename*=UTF-8''a%00.pdf`,
        }),
      },
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    {
      name: 'Content-Encoding: gzip on multipart',
      request: { headers: { ...plain, 'Content-Encoding': 'gzip' }, body: gzipSync(good) },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
  ];
}
