import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { fakeBridge, refuse } from './support/fake-bridge.ts';
import * as fixtures from './support/fixtures.ts';
import { renderApp } from './support/render-app.tsx';

const banner = () => screen.queryByTestId('update-banner');

describe('update banner', () => {
  test('shows the download progress, then Restart to update, which asks the core', async () => {
    const { fake } = await renderApp('wallet');
    expect(banner()).toBeNull();
    act(() =>
      fake.emit(
        'desktop.changed',
        fixtures.desktop({ update: { state: 'downloading', version: '1.1.0', percent: 42 } }),
      ),
    );
    expect(banner()!.textContent).toContain('Downloading Atlantic Proxy 1.1.0… 42%');
    expect((screen.getByRole('progressbar', { name: 'Update download' }) as HTMLProgressElement).value).toBe(42);

    act(() =>
      fake.emit('desktop.changed', fixtures.desktop({ update: { state: 'ready', version: '1.1.0', percent: 100 } })),
    );
    expect(banner()!.dataset.state).toBe('ready');
    await userEvent.click(screen.getByRole('button', { name: 'Restart to update' }));
    expect(fake.callsTo('desktop.restartToUpdate')).toHaveLength(1);
  });

  test('while a session is live Restart to update is greyed out and says why; a refusal is shown', async () => {
    const fake = fakeBridge({
      'desktop.restartToUpdate': refuse(
        'session_live',
        'Disconnect first: restarting now would end your proxy session.',
      ),
    });
    await renderApp('wallet', fake);
    act(() =>
      fake.emit('desktop.changed', fixtures.desktop({ update: { state: 'ready', version: '1.1.0', percent: 100 } })),
    );
    act(() =>
      fake.emit('connection.changed', {
        status: 'connected',
        targeting: { country: 'us' },
        session: fixtures.session(),
      }),
    );
    const restart = screen.getByRole('button', { name: 'Restart to update' }) as HTMLButtonElement;
    expect(restart.disabled).toBe(true);
    expect(banner()!.textContent).toContain('Disconnect first');
    act(() => fake.emit('connection.changed', { status: 'disconnected' }));
    await userEvent.click(restart);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Disconnect first: restarting now would end your proxy session.',
    );
  });
});
