import type { BalanceResponse, FeaturesResponse } from '../../shared/api/credits.ts';
import type { WalletSnapshot } from '../../shared/ipc/views.ts';
import { DEFAULT_PRICING, TIERS } from '../../shared/pricing.ts';

/** A balance answer for `micro` µcr, with `seconds` of credit left at the current rate (null: nothing live). */
export function balanceOf(micro: number, seconds: number | null = null): BalanceResponse {
  return {
    balance: micro / 1e6,
    balance_micro: micro,
    hours_remaining: {
      country_only: micro / 500_000,
      with_city: micro / 750_000,
      with_state: micro / 850_000,
      with_isp: micro / 1e6,
    },
    total_purchased: 0,
    total_purchased_micro: 0,
    total_spent: 0,
    total_spent_micro: 0,
    active_sessions: seconds === null ? 0 : 1,
    burn_rate_per_hour: seconds === null ? 0 : 0.75,
    burn_rate_per_hour_micro: seconds === null ? 0 : 750_000,
    seconds_remaining_at_current_rate: seconds,
  };
}

/** The features answer for a balance, at the default prices (a tier unlocks at one hour of it). */
export function featuresOf(micro: number): FeaturesResponse {
  const rates = TIERS.map((tier) => {
    const perHour = Number(DEFAULT_PRICING.ratesPerHour[tier]);
    return {
      tier,
      per_hour: perHour / 1e6,
      per_hour_micro: perHour,
      min_balance: perHour / 1e6,
      min_balance_micro: perHour,
      unlocked: micro >= perHour,
    };
  });
  const unlocked = (tier: string) => rates.find((rate) => rate.tier === tier)!.unlocked;
  return {
    can_use_country: unlocked('country'),
    can_use_city: unlocked('city'),
    can_use_state: unlocked('state'),
    can_use_isp: unlocked('isp'),
    balance: micro / 1e6,
    balance_micro: micro,
    rates,
  };
}

/** A fresh snapshot holding `micro` µcr. */
export function walletOf(
  micro: number,
  seconds: number | null = null,
  overrides: Partial<WalletSnapshot> = {},
): WalletSnapshot {
  return {
    balance: balanceOf(micro, seconds),
    features: featuresOf(micro),
    active_session: null,
    recent_transactions: [],
    fetched_at: '2026-01-01T12:00:00.000Z',
    offline: false,
    problem: null,
    ...overrides,
  };
}
