import { useEffect, useRef } from 'react';
import * as format from '../format.ts';
import type { UsageChart as DrawnChart } from '../charts/usage-chart.ts';
import { useAppStore } from '../store/app-store.ts';
import type { UsageDay } from '../store/wallet-slice.ts';
import { Empty, ErrorState, Loading } from './StatusMessages.tsx';

function summary(days: UsageDay[]): string {
  const total = days.reduce((sum, day) => sum + day.total_micro, 0);
  const busiest = days.reduce<UsageDay | null>(
    (best, day) => (!best || day.total_micro > best.total_micro ? day : best),
    null,
  );
  const peak =
    busiest && busiest.total_micro > 0 ? `; most on ${busiest.date}: ${format.money(busiest.total_micro)}` : '';
  return `Credits spent per day, last ${days.length} days: ${format.money(total)} in total${peak}.`;
}

/** Usage by day and tier: a chart for the eye, a table for screen readers and anyone who wants the numbers. */
export function UsageChart() {
  const usage = useAppStore((s) => s.usage);
  const loadUsage = useAppStore((s) => s.loadUsage);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawn = useRef<DrawnChart | null>(null);
  const days = usage.data;
  const spent = days?.some((day) => day.total_micro > 0) ?? false;

  useEffect(() => {
    void loadUsage();
  }, [loadUsage]);

  useEffect(() => {
    if (!days || !spent || !canvas.current) {
      // The canvas is gone (nothing spent): a later chart starts fresh on the new one.
      drawn.current?.destroy();
      drawn.current = null;
      return;
    }
    if (drawn.current) {
      drawn.current.update(days);
      return;
    }
    let cancelled = false;
    // chart.js loads only when there is something to draw, off the path to the first balance.
    void import('../charts/usage-chart.ts').then(({ drawUsageChart }) => {
      if (!cancelled && canvas.current) drawn.current = drawUsageChart(canvas.current, days);
    });
    return () => {
      cancelled = true;
    };
  }, [days, spent]);

  useEffect(() => () => drawn.current?.destroy(), []);

  return (
    <section className="card" aria-labelledby="usage-heading">
      <h2 id="usage-heading" className="card-label">
        Usage, last 30 days
      </h2>
      {usage.status === 'error' && <ErrorState message={usage.error ?? ''} onRetry={() => void loadUsage()} />}
      {!days && usage.status !== 'error' && <Loading what="usage" />}
      {days && !spent && <Empty>No credits spent in the last 30 days.</Empty>}
      {days && spent && (
        <>
          <div className="chart-box">
            <canvas ref={canvas} role="img" aria-label={summary(days)} data-testid="usage-chart" />
          </div>
          <details>
            <summary>Usage as a table</summary>
            <table data-testid="usage-table">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Country</th>
                  <th scope="col">City</th>
                  <th scope="col">State</th>
                  <th scope="col">ISP</th>
                  <th scope="col">Total</th>
                </tr>
              </thead>
              <tbody>
                {days
                  .filter((day) => day.total_micro > 0)
                  .map((day) => (
                    <tr key={day.date}>
                      <th scope="row">{day.date}</th>
                      <td>{format.money(day.country_micro)}</td>
                      <td>{format.money(day.city_micro)}</td>
                      <td>{format.money(day.state_micro)}</td>
                      <td>{format.money(day.isp_micro)}</td>
                      <td>{format.money(day.total_micro)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
