import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { fakeBridge } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

const modeSelect = () => screen.getByTestId('session-mode') as HTMLSelectElement;
const rotatingOption = () => Array.from(modeSelect().options).find((o) => o.value === 'rotating')!;

async function openLocations(canRotate: boolean) {
  const fake = fakeBridge({
    'locations.list': () =>
      fixtures.locationsResponse({
        exit: { kind: canRotate ? 'upstream' : 'direct', description: 'exit', can_rotate: canRotate },
      }),
  });
  const view = await renderApp('locations', fake);
  await screen.findByTestId('session-mode');
  return view;
}

describe('Locations: sticky or rotating exit IP', () => {
  test('the direct exit says it cannot rotate; sticky 30 min is sent with Connect and shown in the status', async () => {
    const { fake } = await openLocations(false);
    expect(rotatingOption().disabled).toBe(true);
    expect(screen.getByTestId('session-mode-note').textContent).toContain('This exit cannot rotate');
    expect(modeSelect().value).toBe('sticky-10');
    await userEvent.selectOptions(modeSelect(), 'sticky-30');
    await userEvent.click(screen.getByTestId('connect'));
    expect(fake.callsTo('connection.connect')).toEqual([{ country: 'us', session_mode: 'sticky', sticky_minutes: 30 }]);
    expect((await screen.findByTestId('status-mode')).textContent).toBe('Sticky IP · 30 min');
  });

  test('exits that take {session} offer rotating, sent without a lifetime and shown as Rotating IP', async () => {
    const { fake } = await openLocations(true);
    expect(rotatingOption().disabled).toBe(false);
    expect(screen.getByTestId('session-mode-note').textContent).toBe('Same price either way.');
    const before = screen.getByTestId('connect').textContent;
    await userEvent.selectOptions(modeSelect(), 'rotating');
    // The price does not change with the mode.
    expect(screen.getByTestId('connect').textContent).toBe(before);
    await userEvent.click(screen.getByTestId('connect'));
    expect(fake.callsTo('connection.connect')).toEqual([{ country: 'us', session_mode: 'rotating' }]);
    expect((await screen.findByTestId('status-mode')).textContent).toBe('Rotating IP');
  });
});
