import { useEffect, useState, type FormEvent } from 'react';
import type { AutoTopupView } from '../../shared/api/auto-topup.ts';
import type { PackagesResponse } from '../../shared/api/credits.ts';
import { atlantic } from '../store/bridge-ref.ts';
import { messageOf } from '../store/loadable.ts';

const money = (cents: number, currency = 'USD') =>
  `${currency === 'USD' ? '$' : `${currency} `}${(cents / 100).toFixed(2)}`;

/**
 * Auto top-up with the saved card: which package to buy when the balance falls
 * below a threshold, at most how much a month; the card as brand, last 4 and
 * expiry, with Remove. Why the service turned it off (a declined card) is shown.
 */
export function AutoTopupSettings() {
  const [view, setView] = useState<AutoTopupView | null>(null);
  const [packages, setPackages] = useState<PackagesResponse['packages']>([]);
  const [form, setForm] = useState({ packageId: '', threshold: '2', cap: '50' });
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void (async () => {
      try {
        const [current, offered] = await Promise.all([atlantic().autoTopup.get(), atlantic().credits.packages()]);
        setView(current);
        setPackages(offered.packages);
        setForm({
          packageId: current.package_id ?? offered.packages.find((p) => p.popular)?.id ?? offered.packages[0]?.id ?? '',
          threshold: String(current.threshold ?? 2),
          cap: String((current.monthly_cap_cents ?? 5_000) / 100),
        });
      } catch (error) {
        setProblem(messageOf(error));
      }
    })();
  }, []);

  const act = async (call: () => Promise<AutoTopupView>) => {
    setProblem(null);
    setSaved(false);
    try {
      setView(await call());
      setSaved(true);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  const save = (enabled: boolean) =>
    act(() =>
      atlantic().autoTopup.set({
        enabled,
        package_id: form.packageId,
        threshold: form.threshold,
        monthly_cap_cents: Math.round(Number(form.cap) * 100),
      }),
    );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(true);
  };

  if (!view) return problem ? <p role="alert">{problem}</p> : null;
  const pkg = packages.find((p) => p.id === form.packageId);
  return (
    <section className="card" aria-labelledby="topup-heading" data-testid="auto-topup">
      <h2 id="topup-heading">Auto top-up</h2>
      {!view.available ? (
        <p className="muted">Auto top-up needs card payments, which this service does not offer.</p>
      ) : (
        <>
          {view.card ? (
            <p data-testid="saved-card">
              Saved card: {view.card.brand.toUpperCase()} •••• {view.card.last4}, expires{' '}
              {String(view.card.exp_month).padStart(2, '0')}/{view.card.exp_year}{' '}
              <button type="button" onClick={() => void act(() => atlantic().autoTopup.removeCard())}>
                Remove card
              </button>
            </p>
          ) : (
            <p className="muted" data-testid="saved-card">
              No saved card. Pay once by card and it is saved for auto top-up.
            </p>
          )}
          {view.disabled_reason && (
            <p role="alert" className="problem" data-testid="auto-topup-off">
              {view.disabled_reason}
            </p>
          )}
          <p data-testid="auto-topup-state">
            {view.enabled
              ? `On: when the balance falls below ${view.threshold} credits, buy ${view.package_id}.`
              : 'Off.'}{' '}
            This month: {money(view.spent_this_month_cents)} of {money(view.monthly_cap_cents ?? 0)}.
          </p>
          <form className="form" onSubmit={onSubmit}>
            <label>
              Package
              <select value={form.packageId} onChange={(e) => setForm({ ...form, packageId: e.target.value })}>
                {packages.map((p) => (
                  <option key={p.id} value={p.id}>
                    {money(p.price_cents, p.currency)} → {p.total_credits} credits
                  </option>
                ))}
              </select>
            </label>
            <label>
              When the balance falls below (credits)
              <input value={form.threshold} onChange={(e) => setForm({ ...form, threshold: e.target.value })} />
            </label>
            <label>
              At most this much a month ({pkg?.currency ?? 'USD'})
              <input value={form.cap} onChange={(e) => setForm({ ...form, cap: e.target.value })} />
            </label>
            <button type="submit" className="primary" disabled={!view.card}>
              {view.enabled ? 'Save' : 'Turn on'}
            </button>
            {view.enabled && (
              <button type="button" onClick={() => void save(false)}>
                Turn off
              </button>
            )}
            <span role="status" className="muted">
              {saved ? 'Saved' : ''}
            </span>
          </form>
          {problem && <p role="alert">{problem}</p>}
        </>
      )}
    </section>
  );
}
