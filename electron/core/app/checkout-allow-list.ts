import { CoreError } from './core-error.ts';

/** Card checkouts: Paystack's hosted page. */
export const PROVIDER_CHECKOUT_HOSTS = ['checkout.paystack.com'] as const;

export interface CheckoutAllowList {
  /** The billing service's own origin, which serves the sandbox (test mode) checkout. */
  billingOrigin: string;
  /** More https hosts, e.g. the operator's BTCPay Server. */
  extraHosts?: readonly string[];
}

/**
 * Whether a checkout URL may be opened in the system browser. The service
 * hands it over, but a compromised or mistaken service must not make the app
 * open arbitrary pages (file:, javascript:, a phishing host): only the
 * service's own origin and the payment providers' https hosts pass.
 */
export function isAllowedCheckout(url: string, allow: CheckoutAllowList): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.origin === new URL(allow.billingOrigin).origin) return true;
  const hosts = [...PROVIDER_CHECKOUT_HOSTS, ...(allow.extraHosts ?? [])].map((host) => host.toLowerCase());
  return parsed.protocol === 'https:' && hosts.includes(parsed.host.toLowerCase());
}

/** Opens a checkout page in the system browser, refusing one the allow-list does not name. */
export async function openCheckout(
  url: string,
  allow: CheckoutAllowList,
  openExternal: (url: string) => Promise<void>,
): Promise<void> {
  if (!isAllowedCheckout(url, allow)) {
    throw new CoreError(
      'checkout_not_allowed',
      'The checkout page is not on an allowed payment host; it was not opened.',
    );
  }
  await openExternal(url);
}
