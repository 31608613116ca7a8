import { useEffect } from 'react';
import { CheckoutPanel } from '../components/CheckoutPanel.tsx';
import { FeatureCosts } from '../components/FeatureCosts.tsx';
import { PackageList } from '../components/PackageList.tsx';
import { Empty, ErrorState, Loading } from '../components/StatusMessages.tsx';
import { useAppStore } from '../store/app-store.ts';

const METHOD_LABELS: Record<string, string> = {
  sandbox: 'Test checkout',
  paystack: 'Card (Paystack)',
  crypto: 'Crypto (BTCPay)',
};

export function BuyPage() {
  const packages = useAppStore((s) => s.packages);
  const method = useAppStore((s) => s.method);
  const checkout = useAppStore((s) => s.checkout.status);
  const online = useAppStore((s) => s.coreOnline);
  const { loadPackages, chooseMethod, startPurchase } = useAppStore.getState();

  useEffect(() => {
    void loadPackages();
  }, [loadPackages]);

  const data = packages.data;
  const chosen = method ?? data?.methods[0] ?? null;
  return (
    <>
      <h1>Buy credits</h1>
      {data?.test_mode && (
        <p className="banner banner-info" data-testid="test-mode">
          Test mode — no real money
        </p>
      )}
      <CheckoutPanel />
      {packages.status === 'error' && <ErrorState message={packages.error ?? ''} onRetry={() => void loadPackages()} />}
      {!data && packages.status !== 'error' && <Loading what="packages" />}
      {data && data.methods.length > 1 && (
        <fieldset className="methods">
          <legend>Payment method</legend>
          {data.methods.map((m) => (
            <label key={m}>
              <input type="radio" name="method" value={m} checked={chosen === m} onChange={() => chooseMethod(m)} />
              {METHOD_LABELS[m] ?? m}
            </label>
          ))}
        </fieldset>
      )}
      {data && data.methods.length === 1 && (
        <p className="muted">Payment method: {METHOD_LABELS[data.methods[0]!] ?? data.methods[0]}</p>
      )}
      {data && data.packages.length === 0 && <Empty>No credit packages are on offer right now.</Empty>}
      {data && data.packages.length > 0 && (
        <PackageList
          packages={data.packages}
          disabled={!online || checkout === 'starting' || checkout === 'waiting'}
          onBuy={(id) => void startPurchase(id)}
        />
      )}
      <FeatureCosts />
    </>
  );
}
