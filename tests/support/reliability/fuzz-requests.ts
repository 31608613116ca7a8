import fc from 'fast-check';

/** The little of an OpenAPI schema object the generator reads. */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  format?: string;
}

export interface FuzzRequest {
  method: string;
  path: string;
  /** Which token to send: an index into the run's tokens (none, forged, revoked, own, another user's…). */
  token: number;
  contentType: string | null;
  body: string | null;
}

/** Values any field may be given instead of what it asks for: wrong types, boundaries, oversized, odd text. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -0.5, 1e308, -1e308, 2 ** 53 + 1, '', ' ', '0', '-1', 'null', '[]', '{}'),
  fc.constantFrom('x'.repeat(10_000), 'é'.repeat(5_000), '\u0000', '\ud800', '../../etc/passwd', "' OR 1=1 --", '%00'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);

/** A value for the schema: usually something like what it asks for, sometimes hostile. */
export function valueFor(schema: Schema | undefined, known: fc.Arbitrary<string>, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 3) return hostile;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => valueFor(v, known, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  let fitting: fc.Arbitrary<unknown>;
  if (schema.enum) fitting = fc.constantFrom(...schema.enum);
  else if (type === 'object') {
    const entries = Object.entries(schema.properties ?? {}).map(
      ([name, s]) => [name, valueFor(s, known, depth + 1)] as const,
    );
    fitting = fc.record(Object.fromEntries(entries), { requiredKeys: [] });
  } else if (type === 'array') fitting = fc.array(valueFor(schema.items, known, depth + 1), { maxLength: 4 });
  else if (type === 'integer' || type === 'number') {
    const min = schema.minimum ?? -1_000;
    const max = schema.maximum ?? 1_000_000;
    fitting = fc.oneof(
      fc.constantFrom(min, max, min - 1, max + 1),
      fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
    );
  } else if (type === 'boolean') fitting = fc.boolean();
  else if (schema.format === 'uuid') fitting = fc.oneof(known, fc.uuid());
  else
    fitting = fc.oneof(
      fc.string({ maxLength: schema.maxLength ?? 64 }),
      known,
      fc.constantFrom('us', 'US', 'new_york', 'sandbox', 'usd_5'),
    );
  return fc.oneof({ weight: 4, arbitrary: fitting }, { weight: 1, arbitrary: hostile });
}

/** A path parameter: a real id of some user, a random one, or something hostile, percent-encoded. */
function pathParameter(known: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const raw = fc.oneof(
    known,
    fc.uuid(),
    fc.string({ maxLength: 30 }),
    fc.constantFrom('x'.repeat(200), '..', '%', '\u0000'),
  );
  return raw.map((v) => encodeURIComponent(v));
}

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
);

/** Every operation of the OpenAPI document, as arbitrary requests to it. */
export function requestsFromOpenApi(doc: any, tokens: number, known: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> {
  const operations: fc.Arbitrary<FuzzRequest>[] = [];
  for (const [template, methods] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const params: any[] = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name as string);
      const queryParams = params.filter((p) => p.in === 'query');
      const bodySchema: Schema | undefined = op.requestBody?.content?.['application/json']?.schema;
      operations.push(
        fc
          .record({
            path: fc.tuple(...pathParams.map(() => pathParameter(known))),
            query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueFor(p.schema, known)])), {
              requiredKeys: [],
            }),
            token: fc.nat(tokens - 1),
            body: fc.oneof(
              {
                weight: 6,
                arbitrary: valueFor(bodySchema ?? { type: 'object' }, known).map((v) => JSON.stringify(v) ?? 'null'),
              },
              { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
              { weight: 1, arbitrary: fc.constant(null) },
            ),
            contentType: fc.option(contentTypes, { freq: 6 }),
          })
          .map(({ path, query, token, body, contentType }) => {
            let url = template;
            pathParams.forEach((name, i) => (url = url.replace(`{${name}}`, path[i]!)));
            const search = new URLSearchParams();
            for (const [k, v] of Object.entries(query))
              search.set(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
            const qs = search.toString();
            const sendsBody = method !== 'get' && body !== null;
            return {
              method: method.toUpperCase(),
              path: qs ? `${url}?${qs}` : url,
              token,
              contentType: sendsBody ? (contentType ?? 'application/json') : null,
              body: sendsBody ? body : null,
            };
          }),
      );
    }
  }
  return fc.oneof(...operations);
}
