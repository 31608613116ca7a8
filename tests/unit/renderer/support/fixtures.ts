import type { AutoTopupView } from '../../../../shared/api/auto-topup.ts';
import type {
  FeaturesResponse,
  PackagesResponse,
  PaymentView,
  TransactionView,
} from '../../../../shared/api/credits.ts';
import type { LocationsResponse } from '../../../../shared/api/locations.ts';
import type { SessionView } from '../../../../shared/api/proxy.ts';
import type { AppInfo, AppState, DesktopStatus, Settings, WalletSnapshot } from '../../../../shared/ipc/views.ts';
import type { UsageDay } from '../../../../renderer/store/wallet-slice.ts';

// Answers shaped like the core's, at the default rates: 0.50 / 0.75 / 0.85 / 1.00 an hour.

const RATES = { country: 500_000, city: 750_000, state: 850_000, isp: 1_000_000 } as const;
type Tier = keyof typeof RATES;
const tiers = Object.keys(RATES) as Tier[];
const c = (micro: number) => micro / 1_000_000;

export const FETCHED_AT = '2030-01-01T12:00:00.000Z';

export function rates() {
  return tiers.map((tier) => ({
    tier,
    per_hour: c(RATES[tier]),
    per_hour_micro: RATES[tier],
    min_balance: c(RATES[tier]),
    min_balance_micro: RATES[tier],
  }));
}

export function features(balanceMicro: number): FeaturesResponse {
  return {
    can_use_country: balanceMicro >= RATES.country,
    can_use_city: balanceMicro >= RATES.city,
    can_use_state: balanceMicro >= RATES.state,
    can_use_isp: balanceMicro >= RATES.isp,
    balance: c(balanceMicro),
    balance_micro: balanceMicro,
    rates: rates().map((rate) => ({ ...rate, unlocked: balanceMicro >= rate.min_balance_micro })),
  };
}

export function snapshot(balanceMicro: number, over: Partial<WalletSnapshot> = {}): WalletSnapshot {
  const hours = (tier: Tier) => balanceMicro / RATES[tier];
  return {
    balance: {
      balance: c(balanceMicro),
      balance_micro: balanceMicro,
      hours_remaining: {
        country_only: hours('country'),
        with_city: hours('city'),
        with_state: hours('state'),
        with_isp: hours('isp'),
      },
      total_purchased: c(balanceMicro),
      total_purchased_micro: balanceMicro,
      total_spent: 0,
      total_spent_micro: 0,
      active_sessions: over.active_session ? 1 : 0,
      burn_rate_per_hour: 0,
      burn_rate_per_hour_micro: 0,
      seconds_remaining_at_current_rate: null,
    },
    features: features(balanceMicro),
    active_session: null,
    recent_transactions: [],
    fetched_at: FETCHED_AT,
    offline: false,
    problem: null,
    ...over,
  };
}

export function info(over: Partial<AppInfo> = {}): AppInfo {
  return {
    mode: 'embedded',
    server_url: 'http://127.0.0.1:8787',
    signed_in: true,
    account: {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'local@atlantic',
      role: 'user',
      created_at: FETCHED_AT,
    },
    local_proxy: {
      host: '127.0.0.1',
      port: 8899,
      http_url: 'http://127.0.0.1:8899',
      socks_url: 'socks5://127.0.0.1:8899',
      problem: null,
    },
    version: '0.1.0',
    ...over,
  };
}

export function settings(over: Partial<Settings> = {}): Settings {
  return {
    server_url: null,
    local_proxy_port: 8899,
    start_at_login: false,
    notifications: true,
    last_location: null,
    system_proxy: false,
    auto_connect: false,
    ...over,
  };
}

export function desktop(
  over: { system_proxy?: Partial<DesktopStatus['system_proxy']>; update?: Partial<DesktopStatus['update']> } = {},
): DesktopStatus {
  return {
    system_proxy: { state: 'off', desktop: 'GNOME', message: null, ...over.system_proxy },
    update: { state: 'disabled', version: null, percent: null, message: null, ...over.update },
  };
}

export function appState(over: Partial<AppState> = {}): AppState {
  return {
    info: info(),
    settings: settings(),
    wallet: snapshot(27_000_000),
    connection: { status: 'disconnected' },
    desktop: desktop(),
    ...over,
  };
}

export function session(over: Partial<SessionView> = {}): SessionView {
  return {
    id: '00000000-0000-4000-8000-0000000000aa',
    status: 'active',
    targeting: { country: 'us', city: 'New York' },
    tier: 'city',
    rate_per_hour: 0.75,
    rate_per_hour_micro: 750_000,
    started_at: FETCHED_AT,
    ended_at: null,
    end_reason: null,
    cost: 0.0125,
    cost_micro: 12_500,
    duration_seconds: 60,
    seconds_remaining: 3600,
    bytes_up: 2048,
    bytes_down: 3 * 1024 * 1024,
    ...over,
  };
}

const pkg = (dollars: number, bonus: number, popular = false) => ({
  id: `usd_${dollars}`,
  amount: dollars,
  price: dollars,
  price_cents: dollars * 100,
  currency: 'USD',
  credits: dollars,
  credits_micro: dollars * 1_000_000,
  bonus,
  bonus_micro: bonus * 1_000_000,
  total_credits: dollars + bonus,
  total_credits_micro: (dollars + bonus) * 1_000_000,
  hours_with_city: (dollars + bonus) / 0.75,
  popular,
});

export function packagesResponse(over: Partial<PackagesResponse> = {}): PackagesResponse {
  return {
    packages: [pkg(5, 0), pkg(10, 0), pkg(25, 2, true), pkg(50, 5), pkg(100, 15)],
    methods: ['sandbox'],
    test_mode: true,
    rates: rates(),
    ...over,
  };
}

export const PAYMENT_ID = '00000000-0000-4000-8000-0000000000bb';

export function payment(status: PaymentView['status'], over: Partial<PaymentView> = {}): PaymentView {
  return {
    payment_id: PAYMENT_ID,
    package_id: 'usd_25',
    method: 'sandbox',
    status,
    checkout_url: 'http://127.0.0.1:8787/sandbox/checkout/abc',
    amount_cents: 2500,
    currency: 'USD',
    credits: 25,
    credits_micro: 25_000_000,
    bonus: 2,
    bonus_micro: 2_000_000,
    test_mode: true,
    created_at: FETCHED_AT,
    paid_at: status === 'paid' ? FETCHED_AT : null,
    ...over,
  };
}

export function locationsResponse(over: Partial<LocationsResponse> = {}): LocationsResponse {
  return {
    exit: { kind: 'direct', description: 'Traffic exits from the machine running the gateway.' },
    countries: [
      {
        code: 'us',
        name: 'United States',
        states: [
          { name: 'New York', cities: ['New York', 'Buffalo'] },
          { name: 'California', cities: ['Los Angeles', 'San Francisco'] },
        ],
        isps: ['Comcast', 'Verizon'],
      },
      { code: 'de', name: 'Germany', states: [{ name: 'Berlin', cities: ['Berlin'] }], isps: ['Telekom'] },
    ],
    ...over,
  };
}

export function transaction(n: number, kind: TransactionView['kind'] = 'usage'): TransactionView {
  const amount = kind === 'usage' ? -12_500 : 25_000_000;
  return {
    id: String(n),
    kind,
    amount: c(amount),
    amount_micro: amount,
    balance_after: 27,
    balance_after_micro: 27_000_000,
    description: `${kind} #${n}`,
    session_id: null,
    payment_id: null,
    created_at: FETCHED_AT,
  };
}

/** `count` days ending 2030-01-30; `spent` puts micro-credits on given days by tier. */
export function usageDays(count: number, spent: Array<{ day: number; tier: Tier; micro: number }>): UsageDay[] {
  return Array.from({ length: count }, (_, i) => {
    const date = `2030-01-${String(i + 1).padStart(2, '0')}`;
    const micro = (tier: Tier) =>
      spent.filter((s) => s.day === i + 1 && s.tier === tier).reduce((a, s) => a + s.micro, 0);
    const total = tiers.reduce((sum, tier) => sum + micro(tier), 0);
    return {
      date,
      country_micro: micro('country'),
      city_micro: micro('city'),
      state_micro: micro('state'),
      isp_micro: micro('isp'),
      total: c(total),
      total_micro: total,
    };
  });
}

/** Auto top-up as the service shows it: off, with a saved Visa card. */
export function autoTopup(overrides: Partial<AutoTopupView> = {}): AutoTopupView {
  return {
    available: true,
    enabled: false,
    package_id: null,
    threshold: null,
    threshold_micro: null,
    monthly_cap_cents: null,
    spent_this_month_cents: 0,
    disabled_reason: null,
    card: { brand: 'visa', last4: '4081', exp_month: 12, exp_year: 2030 },
    recent: [],
    ...overrides,
  };
}
