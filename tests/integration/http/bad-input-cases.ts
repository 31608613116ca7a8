import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../../shared/errors.ts';

export const PASSWORD = 'correct horse battery';

// The bad-input table: every route that takes input, and what each kind of bad input must get.
/** Ids and tokens made before the table runs. */
export interface Ctx {
  tokens: Record<'user' | 'admin' | 'poor', string>;
  userId: string;
  email: string;
  /** The user's live session. */
  sessionId: string;
  /** The user's session that has already ended. */
  endedId: string;
  /** The user's paid payment. */
  paymentId: string;
}

export type Who = keyof Ctx['tokens'] | 'none';

export interface BadCase {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** Whose token to send; the user's unless said. */
  as?: Who;
  body?: unknown | ((ctx: Ctx) => unknown);
  raw?: string;
  headers?: Record<string, string>;
  code: ErrorCode;
}

export const json = (value: unknown) => ({ body: value });
export const raw = (text: string, contentType = 'application/json') => ({
  raw: text,
  headers: { 'content-type': contentType },
});

/** Every route that reads a JSON body, with a body it would accept, and whose token it takes. */
export const BODY_ROUTES: { path: string; as: Who; valid: (ctx: Ctx) => unknown }[] = [
  {
    path: '/api/auth/register',
    as: 'none',
    valid: () => ({ email: `${randomUUID()}@example.com`, password: PASSWORD }),
  },
  { path: '/api/auth/login', as: 'none', valid: (ctx) => ({ email: ctx.email, password: PASSWORD }) },
  { path: '/api/credits/purchase', as: 'user', valid: () => ({ amount: 5 }) },
  { path: '/api/proxy/connect', as: 'user', valid: () => ({ country: 'us' }) },
  { path: '/api/proxy/disconnect', as: 'user', valid: (ctx) => ({ session_id: ctx.sessionId }) },
  { path: '/api/proxy/heartbeat', as: 'user', valid: (ctx) => ({ session_id: ctx.sessionId }) },
  {
    path: '/api/admin/adjustments',
    as: 'admin',
    valid: (ctx) => ({ user_id: ctx.userId, amount: '1', reason: 'would apply' }),
  },
];

/** Bodies no JSON route may accept, whatever it is. */
export const MALFORMED: { name: string; input: Partial<BadCase>; code: ErrorCode }[] = [
  { name: 'malformed JSON', input: raw('{"amount": 5'), code: 'invalid_input' },
  { name: 'JSON with trailing garbage', input: raw('{} x'), code: 'invalid_input' },
  { name: 'an empty body declared as JSON', input: raw(''), code: 'invalid_input' },
  { name: 'a JSON array', input: json([]), code: 'invalid_input' },
  { name: 'a JSON array holding an object', input: json([{ country: 'us', amount: 5 }]), code: 'invalid_input' },
  { name: 'a JSON string', input: json('us'), code: 'invalid_input' },
  { name: 'a JSON number', input: raw('42'), code: 'invalid_input' },
  { name: 'JSON null', input: raw('null'), code: 'invalid_input' },
  { name: 'a __proto__ key', input: raw('{"__proto__": {"role": "admin"}}'), code: 'invalid_input' },
  {
    name: 'a constructor.prototype key',
    input: raw('{"constructor": {"prototype": {"role": "admin"}}}'),
    code: 'invalid_input',
  },
  {
    name: 'a 1 MB body',
    input: raw(JSON.stringify({ email: 'a'.repeat(1 << 20), amount: 5 })),
    code: 'payload_too_large',
  },
  {
    name: 'a form-encoded body',
    input: raw('amount=5', 'application/x-www-form-urlencoded'),
    code: 'unsupported_media_type',
  },
  { name: 'an XML body', input: raw('<amount>5</amount>', 'application/xml'), code: 'unsupported_media_type' },
  {
    name: 'a multipart body',
    input: raw('--x\r\n\r\n5\r\n--x--', 'multipart/form-data; boundary=x'),
    code: 'unsupported_media_type',
  },
  { name: 'an unparseable content type', input: raw('{"amount": 5}', '}{'), code: 'unsupported_media_type' },
  { name: 'JSON sent as text/plain', input: raw('{"amount": 5}', 'text/plain'), code: 'unsupported_media_type' },
  {
    name: 'JSON declared as UTF-16',
    input: raw('{"amount": 5}', 'application/json; charset=utf-16'),
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON declared as Latin-1',
    input: raw('{"amount": 5}', 'application/json; charset="ISO-8859-1"'),
    code: 'unsupported_media_type',
  },
];

export const post = (path: string, body: unknown, code: ErrorCode, name: string, as: Who = 'user'): BadCase => ({
  name,
  method: 'POST',
  path,
  body,
  code,
  as,
});
export const get = (path: string, code: ErrorCode, name: string, as: Who = 'user'): BadCase => ({
  name,
  method: 'GET',
  path,
  code,
  as,
});

export const register = (body: unknown, code: ErrorCode, name: string) =>
  post('/api/auth/register', body, code, name, 'none');
export const login = (body: unknown, code: ErrorCode, name: string) =>
  post('/api/auth/login', body, code, name, 'none');
export const purchase = (body: unknown, code: ErrorCode, name: string) =>
  post('/api/credits/purchase', body, code, name);
export const connect = (body: unknown, code: ErrorCode, name: string, as: Who = 'user') =>
  post('/api/proxy/connect', body, code, name, as);
export const adjust = (body: unknown, code: ErrorCode, name: string, as: Who = 'admin') =>
  post('/api/admin/adjustments', body, code, name, as);
export const adjustUser = (fields: Record<string, unknown>) => (ctx: Ctx) => ({
  user_id: ctx.userId,
  amount: '1',
  reason: 'table-driven test',
  ...fields,
});

export const SESSION_CASES = (path: string): BadCase[] => [
  post(path, {}, 'invalid_input', 'no session_id'),
  post(path, { session_id: 'not-a-uuid' }, 'invalid_input', 'a session_id that is not a uuid'),
  post(path, { session_id: "' OR 1=1 --" }, 'invalid_input', 'an injection attempt as session_id'),
  post(path, { session_id: 5 }, 'invalid_input', 'a number as session_id'),
  post(path, { session_id: null }, 'invalid_input', 'null as session_id'),
  post(path, { session_id: [randomUUID()] }, 'invalid_input', 'an array as session_id'),
  post(path, { session_id: randomUUID() }, 'unknown_session', 'a random uuid'),
  post(path, { session_id: '00000000-0000-0000-0000-000000000000' }, 'unknown_session', 'the nil uuid'),
  post(path, (ctx: Ctx) => ({ session_id: ctx.sessionId, extra: true }), 'invalid_input', 'an unknown extra field'),
  post(
    path,
    (ctx: Ctx) => ({ session_id: ctx.sessionId, user_id: ctx.userId }),
    'invalid_input',
    'a user_id alongside',
  ),
  post(path, (ctx: Ctx) => ({ session_id: ctx.endedId }), 'session_ended', 'a session that has ended'),
];

export const CASES: BadCase[] = [
  // Every JSON route refuses what is not a JSON object.
  ...BODY_ROUTES.flatMap(({ path, as }) =>
    MALFORMED.map(({ name, input, code }): BadCase => ({ name, method: 'POST', path, as, code, ...input })),
  ),
  // An unknown extra field next to an otherwise good body.
  ...BODY_ROUTES.map(({ path, as, valid }): BadCase =>
    post(path, (ctx: Ctx) => ({ ...(valid(ctx) as object), unexpected: 1 }), 'invalid_input', 'an extra field', as),
  ),

  register({}, 'invalid_input', 'an empty object'),
  register({ email: 'new@example.com' }, 'invalid_input', 'no password'),
  register({ password: PASSWORD }, 'invalid_input', 'no email'),
  register({ email: 'not-an-email', password: PASSWORD }, 'invalid_input', 'an email that is not one'),
  register({ email: 123, password: PASSWORD }, 'invalid_input', 'a number as email'),
  register({ email: 'new@example.com', password: ['x'.repeat(10)] }, 'invalid_input', 'an array as password'),
  register({ email: 'new@example.com', password: 'short' }, 'invalid_input', 'a 5-character password'),
  register({ email: 'new@example.com', password: 'x'.repeat(201) }, 'invalid_input', 'a 201-character password'),
  register({ email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }, 'invalid_input', 'a 262-char email'),
  register({ email: 'new@example.com', password: PASSWORD, role: 'admin' }, 'invalid_input', 'asking for admin'),
  // PostgreSQL text cannot hold a NUL: refused up front, on every route, not a 500 from the database.
  register({ email: 'nul@example.com', password: `${PASSWORD}\u0000` }, 'invalid_input', 'a NUL in the password'),
  post(
    '/api/auth/register',
    (ctx: Ctx) => ({ email: ctx.email, password: PASSWORD }),
    'email_taken',
    'an email in use',
    'none',
  ),
  post(
    '/api/auth/register',
    (ctx: Ctx) => ({ email: ctx.email.toUpperCase(), password: PASSWORD }),
    'email_taken',
    'an email in use, in capitals',
    'none',
  ),

  login({ email: 'nobody@example.com', password: PASSWORD }, 'invalid_credentials', 'an unknown email'),
  post(
    '/api/auth/login',
    (ctx: Ctx) => ({ email: ctx.email, password: 'wrong password' }),
    'invalid_credentials',
    'a wrong password',
    'none',
  ),
  post('/api/auth/login', (ctx: Ctx) => ({ email: ctx.email }), 'invalid_input', 'no password', 'none'),
  post(
    '/api/auth/login',
    (ctx: Ctx) => ({ email: ctx.email, password: 12345678 }),
    'invalid_input',
    'a number as password',
    'none',
  ),
  login({ email: null, password: PASSWORD }, 'invalid_input', 'null as email'),

  purchase({}, 'invalid_input', 'neither amount nor package_id'),
  purchase({ amount: 7 }, 'unknown_package', 'amount 7'),
  purchase({ amount: 0 }, 'invalid_input', 'amount 0'),
  purchase({ amount: -5 }, 'invalid_input', 'amount -5'),
  purchase({ amount: 25.5 }, 'unknown_package', 'amount 25.5'),
  purchase({ amount: 5.000001 }, 'unknown_package', 'amount 5.000001'),
  purchase({ amount: 0.05 }, 'unknown_package', 'amount 0.05'),
  purchase({ amount: 1e308 }, 'invalid_input', 'amount 1e308'),
  purchase({ amount: Number.MAX_SAFE_INTEGER }, 'invalid_input', 'amount 2^53-1'),
  {
    name: 'amount 1e309 (Infinity)',
    method: 'POST',
    path: '/api/credits/purchase',
    ...raw('{"amount": 1e309}'),
    code: 'invalid_input',
  },
  purchase({ amount: '25' }, 'invalid_input', 'amount as a string'),
  purchase({ amount: true }, 'invalid_input', 'amount as a boolean'),
  purchase({ amount: null }, 'invalid_input', 'amount null'),
  purchase({ amount: { value: 25 } }, 'invalid_input', 'amount as an object'),
  purchase({ package_id: 'usd_7' }, 'unknown_package', 'package usd_7'),
  purchase({ package_id: 'USD_25' }, 'unknown_package', 'package USD_25'),
  purchase({ package_id: '__proto__' }, 'unknown_package', 'package __proto__'),
  purchase({ package_id: "usd_25' OR '1'='1" }, 'unknown_package', 'an injection attempt as package'),
  purchase({ package_id: '' }, 'invalid_input', 'an empty package_id'),
  purchase({ package_id: 'x'.repeat(65) }, 'invalid_input', 'a 65-character package_id'),
  purchase({ package_id: 25 }, 'invalid_input', 'a number as package_id'),
  purchase({ amount: 25, package_id: 'usd_25' }, 'invalid_input', 'both amount and package_id'),
  purchase({ amount: 25, method: 'stripe' }, 'invalid_input', 'a method not offered'),
  purchase({ amount: 25, method: '' }, 'invalid_input', 'an empty method'),
  purchase({ amount: 25, method: 5 }, 'invalid_input', 'a number as method'),
  purchase({ amount: 25, user_id: randomUUID() }, 'invalid_input', "someone else's user_id"),

  connect({}, 'invalid_input', 'no country'),
  connect({ city: 'Paris' }, 'invalid_input', 'a city without a country'),
  connect({ country: 'zz' }, 'unknown_location', "country 'zz'"),
  connect({ country: 'USA' }, 'invalid_input', "country 'USA'"),
  connect({ country: '' }, 'invalid_input', 'an empty country'),
  connect({ country: 1 }, 'invalid_input', 'a number as country'),
  connect({ country: { code: 'us' } }, 'invalid_input', 'an object as country'),
  connect({ country: ['us'] }, 'invalid_input', 'an array as country'),
  connect({ country: 'us', city: 'Atlantis' }, 'unknown_location', 'a city not in the catalog'),
  connect({ country: 'us', state: 'Texas', city: 'Miami' }, 'unknown_location', 'a city in another state'),
  connect({ country: 'gb', city: 'New York' }, 'unknown_location', 'a city in another country'),
  connect({ country: 'us', state: 'Bavaria' }, 'unknown_location', 'a state of another country'),
  connect({ country: 'us', isp: 'Deutsche Telekom' }, 'unknown_location', 'an ISP of another country'),
  connect({ country: 'us', isp: 'Acme Broadband' }, 'unknown_location', 'an unknown ISP'),
  connect({ country: 'us', isp: '' }, 'invalid_input', 'an empty ISP'),
  connect({ country: 'us', city: '   ' }, 'invalid_input', 'a blank city'),
  connect({ country: 'us', city: 'x'.repeat(101) }, 'invalid_input', 'a 101-character city'),
  connect({ country: 'us', city: 7 }, 'invalid_input', 'a number as city'),
  connect({ country: 'us', city: 'New\u0000York' }, 'invalid_input', 'a NUL in the city'),
  connect({ country: 'us' }, 'insufficient_credits', 'a user without credits', 'poor'),

  ...SESSION_CASES('/api/proxy/disconnect'),
  ...SESSION_CASES('/api/proxy/heartbeat'),

  get('/api/credits/transactions?limit=0', 'invalid_input', 'limit=0'),
  get('/api/credits/transactions?limit=abc', 'invalid_input', 'limit=abc'),
  get('/api/credits/transactions?limit=100000', 'invalid_input', 'limit=100000'),
  get('/api/credits/transactions?limit=-1', 'invalid_input', 'limit=-1'),
  get('/api/credits/transactions?limit=1.5', 'invalid_input', 'limit=1.5'),
  get('/api/credits/transactions?limit=1e400', 'invalid_input', 'limit=1e400'),
  get('/api/credits/transactions?limit=', 'invalid_input', 'an empty limit'),
  get('/api/credits/transactions?limit=1&limit=2', 'invalid_input', 'limit twice'),
  get('/api/credits/transactions?cursor=xyz', 'invalid_input', 'cursor=xyz'),
  get('/api/credits/transactions?cursor=-1', 'invalid_input', 'cursor=-1'),
  get('/api/credits/transactions?cursor=99999999999999999999', 'invalid_input', 'a 20-digit cursor'),
  get('/api/credits/transactions?cursor=9999999999999999999', 'invalid_input', 'a cursor beyond bigint'),
  get('/api/credits/transactions?kind=gift', 'invalid_input', 'kind=gift'),
  get('/api/credits/transactions?kind=PURCHASE', 'invalid_input', 'kind=PURCHASE'),
  get('/api/credits/transactions?user_id=x', 'invalid_input', 'an unknown parameter'),

  get('/api/credits/usage?days=0', 'invalid_input', 'days=0'),
  get('/api/credits/usage?days=91', 'invalid_input', 'days=91'),
  get('/api/credits/usage?days=-7', 'invalid_input', 'days=-7'),
  get('/api/credits/usage?days=abc', 'invalid_input', 'days=abc'),
  get('/api/credits/usage?days=1.5', 'invalid_input', 'days=1.5'),
  get('/api/credits/usage?days=', 'invalid_input', 'an empty days'),
  get('/api/credits/usage?days=1&days=2', 'invalid_input', 'days twice'),
  get('/api/credits/usage?user_id=x', 'invalid_input', 'an unknown parameter'),

  get('/api/proxy/sessions?status=foo', 'invalid_input', 'status=foo'),
  get('/api/proxy/sessions?status=ACTIVE', 'invalid_input', 'status=ACTIVE'),
  get('/api/proxy/sessions?limit=0', 'invalid_input', 'limit=0'),
  get('/api/proxy/sessions?limit=abc', 'invalid_input', 'limit=abc'),
  get('/api/proxy/sessions?limit=100000', 'invalid_input', 'limit=100000'),
  get('/api/proxy/sessions?limit=-5', 'invalid_input', 'limit=-5'),
  get('/api/proxy/sessions?user_id=x', 'invalid_input', 'an unknown parameter'),

  get('/api/admin/users?limit=0', 'invalid_input', 'limit=0', 'admin'),
  get('/api/admin/users?limit=abc', 'invalid_input', 'limit=abc', 'admin'),
  get('/api/admin/users?limit=100000', 'invalid_input', 'limit=100000', 'admin'),
  get(`/api/admin/users?email=${'a'.repeat(255)}`, 'invalid_input', 'a 255-character email filter', 'admin'),
  get('/api/admin/users?role=admin', 'invalid_input', 'an unknown parameter', 'admin'),
  get('/api/admin/users?email=a%00b', 'invalid_input', 'a NUL in the email filter', 'admin'),

  get('/api/payments/not-a-uuid', 'unknown_payment', 'an id that is not a uuid'),
  get(`/api/payments/${randomUUID()}`, 'unknown_payment', 'a random uuid'),
  get(`/api/payments/${encodeURIComponent("' OR 1=1 --")}`, 'unknown_payment', 'an injection attempt'),
  get('/api/payments/', 'unknown_payment', 'an empty id'),
  get(`/api/payments/${'a'.repeat(65)}`, 'invalid_input', 'a 65-character id'),
  get(`/api/payments/${'a'.repeat(101)}`, 'uri_too_long', 'a 101-character id'),
  get('/api/payments/%00', 'invalid_input', 'a NUL as id'),
  get('/sandbox/checkout/not-a-uuid', 'unknown_payment', 'a checkout id that is not a uuid', 'none'),
  get(`/sandbox/checkout/${randomUUID()}`, 'unknown_payment', 'a random checkout id', 'none'),
  post(`/sandbox/checkout/${randomUUID()}/pay`, undefined, 'unknown_payment', 'paying a random id', 'none'),
  post('/sandbox/checkout/not-a-uuid/pay', undefined, 'unknown_payment', 'paying a non-uuid', 'none'),
  post(`/sandbox/checkout/${randomUUID()}/cancel`, undefined, 'unknown_payment', 'cancelling a random id', 'none'),
  post(`/sandbox/checkout/${'a'.repeat(65)}/pay`, undefined, 'invalid_input', 'paying a 65-character id', 'none'),

  get('/api/nothing-here', 'not_found', 'an unknown route'),
  get('/api/payments?limit=0', 'invalid_input', 'payments limit=0'),
  get('/api/payments?limit=abc', 'invalid_input', 'payments limit=abc'),
  get('/api/payments?status=paid', 'invalid_input', 'an unknown payments filter'),
  post('/api/credits/balance', { amount: 5 }, 'not_found', 'a POST to a GET route'),
  { name: 'DELETE of a session', method: 'DELETE', path: '/api/proxy/sessions', code: 'not_found' },

  adjust(adjustUser({ amount: '1.2345678' }), 'invalid_input', "amount '1.2345678'"),
  adjust(adjustUser({ amount: 'abc' }), 'invalid_input', "amount 'abc'"),
  adjust(adjustUser({ amount: '' }), 'invalid_input', 'an empty amount'),
  adjust(adjustUser({ amount: '1e5' }), 'invalid_input', "amount '1e5'"),
  adjust(adjustUser({ amount: ' 5' }), 'invalid_input', "amount ' 5'"),
  adjust(adjustUser({ amount: '+5' }), 'invalid_input', "amount '+5'"),
  adjust(adjustUser({ amount: '5.' }), 'invalid_input', "amount '5.'"),
  adjust(adjustUser({ amount: '1234567890' }), 'invalid_input', 'a 10-digit amount'),
  adjust(adjustUser({ amount: 5 }), 'invalid_input', 'a number as amount'),
  adjust(adjustUser({ amount: null }), 'invalid_input', 'null as amount'),
  adjust(adjustUser({ amount: '0' }), 'invalid_amount', "amount '0'"),
  adjust(adjustUser({ amount: '-0.000000' }), 'invalid_amount', "amount '-0.000000'"),
  adjust(adjustUser({ amount: '-999999999' }), 'insufficient_credits', 'taking more than the balance'),
  adjust(adjustUser({ reason: undefined }), 'invalid_input', 'no reason'),
  adjust(adjustUser({ reason: '' }), 'invalid_input', 'an empty reason'),
  adjust(adjustUser({ reason: '     ' }), 'invalid_input', 'a blank reason'),
  adjust(adjustUser({ reason: 'ok' }), 'invalid_input', 'a 2-character reason'),
  adjust(adjustUser({ reason: 'x'.repeat(501) }), 'invalid_input', 'a 501-character reason'),
  adjust(adjustUser({ reason: 42 }), 'invalid_input', 'a number as reason'),
  adjust(adjustUser({ reason: 'a NUL \u0000 inside' }), 'invalid_input', 'a NUL in the reason'),
  // A lone surrogate is refused by PostgreSQL's jsonb (the reason goes into the entry's metadata).
  adjust(adjustUser({ reason: 'a lone \ud800 surrogate' }), 'invalid_input', 'an unpaired surrogate in the reason'),
  adjust(adjustUser({ reason: 'the other \udfff half' }), 'invalid_input', 'an unpaired low surrogate in the reason'),
  adjust({ amount: '1', reason: 'nobody named' }, 'invalid_input', 'neither user_id nor email'),
  adjust(adjustUser({ email: 'someone@example.com' }), 'invalid_input', 'both user_id and email'),
  adjust(adjustUser({ user_id: 'not-a-uuid' }), 'invalid_input', 'a user_id that is not a uuid'),
  adjust(adjustUser({ user_id: randomUUID() }), 'unknown_user', 'an unknown user_id'),
  adjust({ email: 'nobody@example.com', amount: '1', reason: 'unknown email' }, 'unknown_user', 'an unknown email'),
  adjust({ email: 'not-an-email', amount: '1', reason: 'bad email' }, 'invalid_input', 'an email that is not one'),
  adjust(adjustUser({ idempotency_key: '' }), 'invalid_input', 'an empty idempotency key'),
  adjust(adjustUser({ idempotency_key: 'k'.repeat(101) }), 'invalid_input', 'a 101-character idempotency key'),
  adjust(
    adjustUser({ idempotency_key: 'granted-once', amount: '2' }),
    'idempotency_conflict',
    'a reused key, new amount',
  ),
  adjust(adjustUser({ amount: '1000' }), 'forbidden', 'a grant by a normal user', 'user'),
];
