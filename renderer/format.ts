import { formatCredits } from '../shared/money.ts';

// Display only: amounts stay integer micro-credits until these last steps.

/** "27.00", "26.9875": exact, at least two decimals. */
export const credits = (micro: number): string => formatCredits(BigInt(micro));

/** "0.75/h" */
export const perHour = (micro: number): string => `${credits(micro)}/h`;

/** "~36.0" hours, the seed's one decimal. */
export const hours = (value: number): string => value.toFixed(1);

const pad = (n: number) => String(n).padStart(2, '0');

/** A countdown: "1:05:09", or "4:12" under an hour. */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** "2 h 05 min", "12 min", "45 s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${pad(m)} min` : `${m} min`;
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
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "US · New York · Brooklyn · Comcast" from a session's or a choice's targeting. */
export function place(targeting: { country: string; state?: string; city?: string; isp?: string }): string {
  return [targeting.country.toUpperCase(), targeting.state, targeting.city, targeting.isp].filter(Boolean).join(' · ');
}

export const dateTime = (iso: string): string => new Date(iso).toLocaleString();
