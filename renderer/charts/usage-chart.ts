import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { UsageDay } from '../store/wallet-slice.ts';

// Only the pieces a stacked bar chart needs, so the bundle carries no more of chart.js.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const SERIES = [
  { key: 'country_micro', label: 'Country only', color: '#3b82f6' },
  { key: 'city_micro', label: 'City', color: '#14b8a6' },
  { key: 'state_micro', label: 'State', color: '#f59e0b' },
  { key: 'isp_micro', label: 'ISP', color: '#e11d48' },
] as const;

export interface UsageChart {
  update(days: UsageDay[]): void;
  destroy(): void;
}

const cssColor = (name: string, fallback: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

function dataOf(days: UsageDay[]) {
  return {
    labels: days.map((day) => day.date.slice(5)),
    // Display only: micro-credits to credits at the last step.
    datasets: SERIES.map((series) => ({
      label: series.label,
      data: days.map((day) => day[series.key] / 1_000_000),
      backgroundColor: series.color,
      stack: 'usage',
    })),
  };
}

/** Credits per day, stacked by tier. No animation: nothing waits on it, tests and benches included. */
export function drawUsageChart(canvas: HTMLCanvasElement, days: UsageDay[]): UsageChart {
  const text = cssColor('--text-muted', '#6b7280');
  const grid = cssColor('--border', '#e5e7eb');
  const chart = new Chart(canvas, {
    type: 'bar',
    data: dataOf(days),
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, ticks: { color: text }, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { color: text }, grid: { color: grid } },
      },
      plugins: { legend: { labels: { color: text } } },
    },
  });
  return {
    update: (next) => {
      chart.data = dataOf(next);
      chart.update();
    },
    destroy: () => chart.destroy(),
  };
}
