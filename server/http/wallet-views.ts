import { amount } from '../../shared/api/amounts.ts';
import type { BalanceResponse, FeaturesResponse } from '../../shared/api/credits.ts';
import type { MicroCredits } from '../../shared/money.ts';
import {
  hoursRemaining,
  isTierUnlocked,
  minStartBalance,
  msRemaining,
  TIERS,
  type PricingConfig,
} from '../../shared/pricing.ts';
import type { WalletSummary } from '../ledger/wallet-summary.ts';

/** The seed's balance answer and the features answer, shared by their routes and the wallet stream. */

export function ratesView(pricing: PricingConfig) {
  return TIERS.map((tier) => ({
    tier,
    ...amount('per_hour', pricing.ratesPerHour[tier]),
    ...amount('min_balance', minStartBalance(tier, pricing)),
  }));
}

export function balanceView(wallet: WalletSummary, pricing: PricingConfig): BalanceResponse {
  const hours = hoursRemaining(wallet.balance, pricing);
  return {
    ...amount('balance', wallet.balance),
    hours_remaining: {
      country_only: hours.country,
      with_city: hours.city,
      with_state: hours.state,
      with_isp: hours.isp,
    },
    ...amount('total_purchased', wallet.totalPurchased),
    ...amount('total_spent', wallet.totalSpent),
    active_sessions: wallet.activeSessions,
    ...amount('burn_rate_per_hour', wallet.burnRate),
    seconds_remaining_at_current_rate:
      wallet.burnRate > 0n ? Number(msRemaining(wallet.balance, wallet.burnRate) / 1000n) : null,
  };
}

export function featuresView(balance: MicroCredits, pricing: PricingConfig): FeaturesResponse {
  const unlocked = (tier: (typeof TIERS)[number]) => isTierUnlocked(balance, tier, pricing);
  return {
    can_use_country: unlocked('country'),
    can_use_city: unlocked('city'),
    can_use_state: unlocked('state'),
    can_use_isp: unlocked('isp'),
    ...amount('balance', balance),
    rates: ratesView(pricing).map((rate) => ({ ...rate, unlocked: unlocked(rate.tier) })),
  };
}
