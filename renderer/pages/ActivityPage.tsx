import { PaymentsSection } from '../components/PaymentsSection.tsx';
import { SessionsSection } from '../components/SessionsSection.tsx';
import { TransactionsSection } from '../components/TransactionsSection.tsx';

export function ActivityPage() {
  return (
    <>
      <h1>Activity</h1>
      <TransactionsSection />
      <SessionsSection />
      <PaymentsSection />
    </>
  );
}
