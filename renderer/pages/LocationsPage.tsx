import { useEffect } from 'react';
import type { Tier } from '../../shared/pricing.ts';
import { ChoicePanel } from '../components/ChoicePanel.tsx';
import { LocationSelect, type Lock } from '../components/LocationSelect.tsx';
import { ProxyAddress } from '../components/ProxyAddress.tsx';
import { SessionModeSelect } from '../components/SessionModeSelect.tsx';
import { ErrorState, Loading } from '../components/StatusMessages.tsx';
import { rateOfTier } from '../rates.ts';
import { selectFeatures, selectInfo } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

const named = (names: string[]) => names.map((name) => ({ value: name, label: name }));

export function LocationsPage() {
  const locations = useAppStore((s) => s.locations);
  const choice = useAppStore((s) => s.choice);
  const features = useAppStore(selectFeatures);
  const mode = useAppStore(selectInfo)?.mode;
  const { loadLocations, choose } = useAppStore.getState();

  useEffect(() => {
    void loadLocations();
  }, [loadLocations]);

  const lockOf = (tier: Exclude<Tier, 'country'>): Lock | null => {
    // Until the wallet answers, nothing is known to be affordable: keep narrower choices closed.
    if (features?.[`can_use_${tier}`]) return null;
    return {
      perHourMicro: rateOfTier(features?.rates ?? null, tier)?.per_hour_micro ?? 0,
      balanceMicro: features?.balance_micro ?? 0,
    };
  };

  const data = locations.data;
  const country = data?.countries.find((c) => c.code.toLowerCase() === choice.country) ?? null;
  const states = country?.states ?? [];
  const cities = (choice.state ? states.filter((s) => s.name === choice.state) : states).flatMap((s) => s.cities);
  // A city picked while the state is locked still names its state: show it, as the city implies it.
  const stateLock = choice.city ? null : lockOf('state');
  const exitWhere =
    data?.exit.kind === 'upstream'
      ? 'the operator’s proxy supply'
      : mode === 'remote'
        ? 'the service’s machine (direct)'
        : 'this machine (direct)';

  return (
    <>
      <h1>Locations</h1>
      {locations.status === 'error' && !data && (
        <ErrorState message={locations.error ?? ''} onRetry={() => void loadLocations()} />
      )}
      {!data && locations.status !== 'error' && <Loading what="locations" />}
      {data && (
        <section className="card" aria-labelledby="where-heading">
          <h2 id="where-heading" className="card-label">
            Where your traffic exits
          </h2>
          <p data-testid="exit">Exit: {exitWhere}</p>
          <p className="muted">{data.exit.description}</p>
          {data.countries.length === 0 ? (
            <p className="state state-empty">No locations are on offer right now.</p>
          ) : (
            <div className="selectors">
              <LocationSelect
                field="country"
                label="Country"
                options={data.countries.map((c) => ({ value: c.code.toLowerCase(), label: c.name }))}
                value={choice.country}
                lock={null}
                onChange={(v) => choose('country', v)}
              />
              <LocationSelect
                field="state"
                label="State"
                anyLabel="Any state"
                options={named(states.map((s) => s.name))}
                value={choice.state}
                lock={stateLock}
                onChange={(v) => choose('state', v)}
              />
              <LocationSelect
                field="city"
                label="City"
                anyLabel="Any city"
                options={named([...new Set(cities)])}
                value={choice.city}
                lock={lockOf('city')}
                onChange={(v) => choose('city', v)}
              />
              <LocationSelect
                field="isp"
                label="ISP"
                anyLabel="Any ISP"
                options={named(country?.isps ?? [])}
                value={choice.isp}
                lock={lockOf('isp')}
                onChange={(v) => choose('isp', v)}
              />
            </div>
          )}
          <SessionModeSelect canRotate={data.exit.can_rotate ?? false} />
        </section>
      )}
      <ChoicePanel />
      <ProxyAddress />
    </>
  );
}
