import { exactMoney, money } from '../format.ts';

/** "$14.99" on screen, the exact "$14.995825" on hover. */
export function Money({ micro, testId }: { micro: number; testId?: string }) {
  return (
    <span title={exactMoney(micro)} data-testid={testId}>
      {money(micro)}
    </span>
  );
}
