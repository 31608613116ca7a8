import { formatCredits } from '../../shared/money.ts';
import { escapeHtml } from './routes/payment-pages.ts';
import type { Payment } from '../payments/pending-payments.ts';

export interface ReceiptContext {
  /** Who sold the credits (OPERATOR_NAME). */
  operatorName: string;
  /** The buyer, as signed in. */
  email: string;
  testMode: boolean;
}

const METHOD_NAMES: Record<string, string> = { paystack: 'Card (Paystack)', crypto: 'Crypto (BTCPay Server)' };

/** 2500 USD cents as "USD 25.00": receipts show the price charged, exactly. */
function price(payment: Payment): string {
  return `${payment.currency} ${Math.floor(payment.amount / 100)}.${String(payment.amount % 100).padStart(2, '0')}`;
}

// Print-friendly: black on white, no scripts, nothing fetched (the CSP allows inline style only).
const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;color:#111}
h1{font-size:1.4rem;margin-bottom:0}table{width:100%;border-collapse:collapse;margin:1.5rem 0}
td,th{text-align:left;padding:.4rem 0;border-bottom:1px solid #ccc}td.n{text-align:right}
.flag{border:2px solid #111;padding:.5rem;font-weight:bold}.hint{color:#555;font-size:.9rem}
@media print{.hint{display:none}}`;

/** A paid (or since refunded) payment's receipt: a standalone printable page. */
export function receiptHtml(payment: Payment, context: ReceiptContext): string {
  const row = (label: string, value: string, numeric = false) =>
    `<tr><th>${escapeHtml(label)}</th><td${numeric ? ' class="n"' : ''}>${escapeHtml(value)}</td></tr>`;
  const flags = [
    context.testMode ? '<p class="flag">TEST MODE — no money moved.</p>' : '',
    payment.status === 'refunded' ? '<p class="flag" id="refunded">REFUNDED</p>' : '',
  ].join('');
  const rows = [
    row('Receipt number', payment.id),
    row('Date paid', payment.paidAt ? `${payment.paidAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—'),
    row('Billed to', context.email),
    row('Payment method', METHOD_NAMES[payment.provider] ?? payment.provider),
    row('Provider reference', payment.providerReference),
    row('Package', payment.packageId),
    row('Credits', formatCredits(payment.credits), true),
    ...(payment.bonus > 0n ? [row('Bonus credits', formatCredits(payment.bonus), true)] : []),
    row('Total paid', price(payment), true),
  ].join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Receipt ${escapeHtml(payment.id)} — ${escapeHtml(context.operatorName)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${STYLE}</style></head><body>
<h1 id="operator">${escapeHtml(context.operatorName)}</h1><p>Receipt for proxy credits</p>${flags}
<table>${rows}</table>
<p class="hint">Print or save this page as PDF with your browser's Print command.</p>
</body></html>`;
}
