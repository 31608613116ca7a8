// Display only: amounts stay integer micro-credits until these last steps.
// The words and rules live once in shared/display.ts (the tray uses them too).
import { packageNameOfId } from '../shared/display.ts';

export {
  countryName,
  credits2,
  duration,
  exactMoney,
  kindName,
  money,
  packageName,
  packageNameOfId,
  perHour,
  place,
} from '../shared/display.ts';

/** "~36.0" hours, the seed's one decimal. */
export const hours = (value: number): string => value.toFixed(1);

/** "25 credits", "2.50 credits": whole credits read whole, as the seed's package cards do. */
export function creditCount(micro: number): string {
  const whole = micro % 1_000_000 === 0;
  const text = whole ? String(micro / 1_000_000) : (Math.trunc(micro / 10_000) / 100).toFixed(2);
  return `${text} ${text === '1' ? 'credit' : 'credits'}`;
}

/** "just now", "40 s ago", "3 min ago", "2 h ago". */
export function age(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "1.5 KB/s" */
export const speed = (bytesPerSecond: number): string => `${bytes(bytesPerSecond)}/s`;

export const dateTime = (iso: string): string => new Date(iso).toLocaleString();

/** A ledger description as people read it: legacy package ids ("Purchase: usd_10") become names. */
export const description = (text: string): string => text.replace(/\busd_\d+\b/g, (id) => packageNameOfId(id));
