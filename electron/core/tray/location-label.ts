import { formatCredits } from '../../../shared/money.ts';
import { tiersUsed } from '../../../shared/pricing.ts';
import type { Targeting } from '../../../shared/targeting.ts';
import type { WalletSnapshot } from '../../../shared/ipc/views.ts';

/** "New York, US", "Texas, US · Comcast": how a location reads in one line. */
export function locationLabel(targeting: Targeting): string {
  const place = [targeting.city, targeting.state, targeting.country.toUpperCase()].filter(Boolean).join(', ');
  return targeting.isp ? `${place} · ${targeting.isp}` : place;
}

/**
 * The hourly rate of a choice in µcr, from the rates the service serves (the
 * highest tier it uses sets the price); null before the first wallet answer.
 */
export function rateOfChoice(targeting: Targeting, wallet: WalletSnapshot): number | null {
  const rates = wallet.features?.rates;
  if (!rates) return null;
  const used = tiersUsed(targeting).map((tier) => rates.find((rate) => rate.tier === tier)?.per_hour_micro ?? 0);
  return Math.max(...used);
}

/** Whether the balance unlocks every tier the choice uses (unknown counts as unlocked: the service decides). */
export function isChoiceUnlocked(targeting: Targeting, wallet: WalletSnapshot): boolean {
  const rates = wallet.features?.rates;
  if (!rates) return true;
  return tiersUsed(targeting).every((tier) => rates.find((rate) => rate.tier === tier)?.unlocked ?? true);
}

/** "0.75/h" */
export function rateLabel(perHourMicro: number): string {
  return `${formatCredits(BigInt(perHourMicro))}/h`;
}

/** "2 h 05 min", "14 min", "under a minute". */
export function durationLabel(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'under a minute';
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}
