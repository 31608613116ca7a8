import { BalanceCard } from '../components/BalanceCard.tsx';
import { HoursByTier } from '../components/HoursByTier.tsx';
import { LiveSessionCard } from '../components/LiveSessionCard.tsx';
import { LowBalanceBanner } from '../components/LowBalanceBanner.tsx';
import { UsageChart } from '../components/UsageChart.tsx';

export function WalletPage() {
  return (
    <>
      <h1>Wallet</h1>
      <LowBalanceBanner />
      <BalanceCard />
      <div className="grid-2">
        <HoursByTier />
        <LiveSessionCard />
      </div>
      <UsageChart />
    </>
  );
}
