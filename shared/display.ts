import { formatCredits, MICRO_PER_CREDIT, type MicroCredits } from './money.ts';

/**
 * How amounts, durations and places read, once for every surface (window, tray,
 * notices). Amounts stay integer micro-credits until these last steps; 1 credit is $1.
 */

const asBig = (micro: MicroCredits | number): MicroCredits => (typeof micro === 'bigint' ? micro : BigInt(micro));

/** "27.00", "14.99": two places, cut toward zero so the screen never shows credit that isn't there. */
export function credits2(micro: MicroCredits | number): string {
  const value = asBig(micro);
  const cents = value / (MICRO_PER_CREDIT / 100n);
  const negative = value < 0n;
  const abs = negative ? -cents : cents;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative && abs !== 0n ? `-${text}` : text;
}

/** "$27.00", "-$0.01": the seed's dollars, to 2 places. */
export function money(micro: MicroCredits | number): string {
  const text = credits2(micro);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/** "$14.995825": the exact figure, for hover text and exports. */
export function exactMoney(micro: MicroCredits | number): string {
  const text = formatCredits(asBig(micro));
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/** "$0.75/hour", the seed's way of saying a rate. */
export const perHour = (micro: MicroCredits | number): string => `${money(micro)}/hour`;

/** "29 h 59 min", "1 min 46 s", "45 s": never a clock face, which reads as minutes. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

let regionNames: Intl.DisplayNames | null | undefined;

/** "United States" for "us"; the code itself where the runtime has no region names. */
export function countryName(code: string): string {
  regionNames ??= typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
  const upper = code.toUpperCase();
  try {
    return regionNames?.of(upper) ?? upper;
  } catch {
    return upper;
  }
}

export interface PlaceParts {
  country: string;
  state?: string | undefined;
  city?: string | undefined;
  isp?: string | undefined;
}

/** "Austin, Texas, United States · Comcast": from the most specific place out, then the ISP. */
export function place(targeting: PlaceParts): string {
  const where = [targeting.city, targeting.state, countryName(targeting.country)].filter(Boolean).join(', ');
  return targeting.isp ? `${where} · ${targeting.isp}` : where;
}

const KIND_NAMES: Record<string, string> = {
  purchase: 'Purchase',
  bonus: 'Bonus',
  usage: 'Usage',
  refund: 'Refund',
  adjustment: 'Adjustment',
};

/** A ledger kind as people read it: "Purchase". */
export const kindName = (kind: string): string => KIND_NAMES[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1);

/** "$25 package": what a package is called wherever a person reads it (never its id). */
export function packageName(priceCents: number, currency = 'USD'): string {
  const whole = priceCents % 100 === 0;
  const amount = whole ? String(priceCents / 100) : (priceCents / 100).toFixed(2);
  return currency === 'USD' ? `$${amount} package` : `${amount} ${currency} package`;
}

/** "usd_25" → "$25 package", for descriptions written before packages had names. */
export function packageNameOfId(id: string): string {
  const match = /^usd_(\d+)$/.exec(id);
  return match ? packageName(Number(match[1]) * 100) : id;
}
