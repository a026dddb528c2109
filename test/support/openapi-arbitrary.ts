import fc from 'fast-check';
import { hostileMultiparts, multipartBody, type RawMultipart } from './multipart';

/** The parts of an OpenAPI 3 document the fuzz reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  example?: unknown;
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  security?: unknown[];
  'x-roles'?: string[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return resolve(document, document.components.schemas[schema.$ref.split('/').pop() as string]);
}

/** Strings a client may send by mistake or on purpose: empty, long, odd scripts, markup. */
export const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'null', '张三', '<script>', "' OR 1=1 --", '../..'),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ minLength: 300, maxLength: 400 }),
);

/** Any JSON value, of any type: what an invalid field gets. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  junkString,
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/**
 * Values that satisfy the published schema (an example where the schema gives one, so that
 * many requests get past validation to the service), and sometimes only its type.
 */
export function valueOf(document: OpenApiDocument, raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  if (schema.allOf?.length) return valueOf(document, schema.allOf[0], depth);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives?.length)
    return fc.oneof(...alternatives.map((s) => valueOf(document, s, depth)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const typed = typedValue(document, schema, depth);
  return schema.example !== undefined && typeOk(schema, schema.example)
    ? fc.oneof(
        { arbitrary: fc.constant(schema.example), weight: 3 },
        { arbitrary: typed, weight: 1 },
      )
    : typed;
}

function typeOk(schema: Schema, value: unknown): boolean {
  switch (schema.type ?? '') {
    case 'string':
      return typeof value === 'string';
    case 'number':
    case 'integer':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

function typedValue(
  document: OpenApiDocument,
  schema: Schema,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (schema.type ?? '') {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid({ version: 4 });
      if (schema.format === 'date-time')
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'binary') return fc.string();
      return fc.string({
        minLength: schema.minLength ?? 1,
        maxLength: Math.min(schema.maxLength ?? 20, 40),
      });
    case 'number':
      return fc.oneof(
        // Whole numbers within the bounds (a minimum may be fractional: 0.01 for a positive area).
        fc.integer({
          min: Math.ceil(schema.minimum ?? -10),
          max: Math.floor(Math.min(schema.maximum ?? 1000, 1000)),
        }),
        fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1e7, noNaN: true }),
      );
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? -10,
        max: Math.min(schema.maximum ?? 1000, 1000),
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(valueOf(document, schema.items ?? {}, depth + 1), {
            minLength: 1,
            maxLength: 3,
          });
    case 'object':
      return schema.properties ? objectOf(document, schema, depth) : junkValue;
    default:
      return junkValue;
  }
}

/** An object with every required property and some of the optional ones. */
export function objectOf(
  document: OpenApiDocument,
  schema: Schema,
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {}).filter(
    ([, property]) => resolve(document, property).format !== 'binary',
  );
  const required = new Set(schema.required ?? []);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of properties) record[name] = valueOf(document, property, depth + 1);
  return fc.record(record, {
    requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)),
  });
}

/**
 * A body the published schema refuses: a required property gone, a property of the wrong type,
 * or a property the schema does not name (the app forbids unknown properties).
 */
export function invalidObjectOf(
  document: OpenApiDocument,
  schema: Schema,
): fc.Arbitrary<{ body: unknown; how: string }> {
  const valid = objectOf(document, schema);
  const required = schema.required ?? [];
  const typed = Object.entries(schema.properties ?? {}).filter(([, p]) => {
    const type = resolve(document, p).type;
    return type === 'string' || type === 'number' || type === 'array' || type === 'boolean';
  });
  const ways: fc.Arbitrary<{ body: unknown; how: string }>[] = [
    fc
      .tuple(valid, fc.constantFrom('isAdmin', 'state', '__proto__x', 'role2'), junkValue)
      .map(([body, name, value]) => {
        const key = name in (schema.properties ?? {}) ? `${name}_` : name;
        return { body: { ...body, [key]: value }, how: `unknown ${key}` };
      }),
    fc.constantFrom('a string', 42, [1, 2], null).map((body) => ({ body, how: 'not an object' })),
  ];
  if (required.length > 0)
    ways.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([body, key]) => {
        const copy = { ...body };
        delete copy[key];
        return { body: copy, how: `without ${key}` };
      }),
    );
  if (typed.length > 0)
    ways.push(
      fc.tuple(valid, fc.constantFrom(...typed)).map(([body, [key, property]]) => {
        const type = resolve(document, property).type;
        const wrong = type === 'string' ? { a: 1 } : type === 'array' ? 'not-an-array' : { a: 1 };
        return { body: { ...body, [key]: wrong }, how: `${key} of the wrong type` };
      }),
    );
  return fc.oneof(...ways);
}

const BOUNDARY_TYPE = 'multipart/form-data; boundary=----hostile7MA4YWxkTrZu0gW';

/**
 * A multipart body the app must refuse with 400, 413 or 415 whatever the route: one of the nine
 * hostile variants (test/support/multipart.ts), a well-formed body cut anywhere before its
 * closing delimiter, or random bytes under a multipart Content-Type. `fields`: the route's text
 * fields (valid ones, so that only the multipart itself is wrong).
 */
export function malformedMultipartOf(
  fields: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<{ raw: RawMultipart; how: string }> {
  const text = (values: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
  const variants = hostileMultiparts().length;
  return fc.oneof(
    fc.tuple(fields, fc.nat({ max: variants - 1 })).map(([values, index]) => {
      const variant = hostileMultiparts(text(values))[index];
      return { raw: variant.request, how: variant.name };
    }),
    fc
      .tuple(fields, fc.uint8Array({ maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([values, bytes, where]) => {
        const full = multipartBody(text(values), { content: Buffer.from(bytes) });
        const closing = '\r\n------hostile7MA4YWxkTrZu0gW--\r\n'.length;
        const at = Math.floor((full.length - closing) * Math.min(where, 0.999));
        return {
          raw: { headers: { 'Content-Type': BOUNDARY_TYPE }, body: full.subarray(0, at) },
          how: `cut at byte ${at} of ${full.length}`,
        };
      }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({
      raw: { headers: { 'Content-Type': BOUNDARY_TYPE }, body: Buffer.from(bytes) },
      how: 'random bytes',
    })),
  );
}
