import { isAllowedCheckout, PROVIDER_CHECKOUT_HOSTS } from '../core/app/checkout-allow-list.ts';

/**
 * The window's side of the checkout allow-list (links and window.open in the
 * renderer): the same rule the core applies before it opens a checkout —
 * the providers' https checkout hosts, plus the billing service the app is
 * talking to at the moment (the embedded one's loopback origin serves the
 * sandbox checkout). Until that service is known, only provider hosts pass.
 */
export class CheckoutLinks {
  private billingOrigin: string | null = null;

  constructor(private readonly extraHosts: readonly string[] = []) {}

  /** Follows the core's app info (`server_url`). */
  setServiceUrl(url: string | null): void {
    try {
      this.billingOrigin = url ? new URL(url).origin : null;
    } catch {
      this.billingOrigin = null;
    }
  }

  allows(url: string): boolean {
    // Before the service is known, a provider's own origin stands in for it: it passes anyway.
    const billingOrigin = this.billingOrigin ?? `https://${PROVIDER_CHECKOUT_HOSTS[0]}`;
    if (!isAllowedCheckout(url, { billingOrigin, extraHosts: this.extraHosts })) return false;
    // The service's own origin is trusted for its checkout only over https, or plain http on loopback.
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' || (protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname));
  }
}
