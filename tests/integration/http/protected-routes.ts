// The route table the security suite checks: every route that needs a token, and the public ones.

/** What a test needs to fill in a route's path and a body that would succeed if the token were good. */
export interface Context {
  paymentId: string;
  sessionId: string;
  userId: string;
}

export interface ProtectedRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** As Fastify spells it, e.g. /api/payments/:id. */
  path: string;
  body?: (ctx: Context) => unknown;
}

/** Every route that needs a token. Health, register, login, the OpenAPI document and the sandbox checkout do not. */
export const PROTECTED: readonly ProtectedRoute[] = [
  { method: 'GET', path: '/api/credits/balance' },
  { method: 'GET', path: '/api/credits/packages' },
  { method: 'GET', path: '/api/credits/transactions' },
  { method: 'GET', path: '/api/credits/features' },
  { method: 'GET', path: '/api/credits/usage' },
  { method: 'POST', path: '/api/credits/purchase', body: () => ({ amount: 5 }) },
  { method: 'GET', path: '/api/payments' },
  { method: 'GET', path: '/api/wallet/stream' },
  { method: 'GET', path: '/api/payments/:id' },
  { method: 'POST', path: '/api/payments/:id/verify' },
  { method: 'GET', path: '/api/payments/:id/receipt' },
  { method: 'GET', path: '/api/auto-topup' },
  {
    method: 'PUT',
    path: '/api/auto-topup',
    body: () => ({ enabled: false, package_id: 'usd_10', threshold: '2', monthly_cap_cents: 5_000 }),
  },
  { method: 'DELETE', path: '/api/auto-topup/card' },
  { method: 'POST', path: '/api/proxy/connect', body: () => ({ country: 'us' }) },
  { method: 'POST', path: '/api/proxy/disconnect', body: (ctx) => ({ session_id: ctx.sessionId }) },
  { method: 'POST', path: '/api/proxy/heartbeat', body: (ctx) => ({ session_id: ctx.sessionId }) },
  { method: 'GET', path: '/api/proxy/sessions' },
  { method: 'GET', path: '/api/locations' },
  { method: 'GET', path: '/api/auth/me' },
  { method: 'POST', path: '/api/auth/logout' },
  {
    method: 'POST',
    path: '/api/admin/adjustments',
    body: (ctx) => ({ user_id: ctx.userId, amount: '1000', reason: 'should never apply' }),
  },
  { method: 'GET', path: '/api/admin/users' },
  { method: 'POST', path: '/api/admin/payments/:id/refund', body: () => ({ reason: 'should never apply' }) },
];

/** Documented routes that are public on purpose. */
// Webhooks authenticate by the provider's signature instead of a token.
export const PUBLIC = [
  'GET /api/health',
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/webhooks/:provider',
];

/** Every operation in an OpenAPI document, with whether it requires some credential (operation or global security). */
export function documentedOperations(doc: any): { key: string; secured: boolean }[] {
  const out: { key: string; secured: boolean }[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const security: Record<string, unknown>[] = op.security ?? doc.security ?? [];
      // A requirement list is satisfied by any one entry; an empty entry ({}) means "no credential needed".
      const secured = security.length > 0 && security.every((req) => Object.keys(req).length > 0);
      out.push({ key: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, secured });
    }
  }
  return out;
}
