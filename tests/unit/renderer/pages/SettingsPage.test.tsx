import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { fakeBridge, refuse } from '../support/fake-bridge.ts';
import * as fixtures from '../support/fixtures.ts';
import { renderApp } from '../support/render-app.tsx';

describe('Settings page', () => {
  test('embedded mode: sign in to a remote server switches to it and offers Sign out and Back to embedded', async () => {
    const { fake } = await renderApp('settings');
    expect(screen.getByTestId('server-mode').textContent).toContain('Billing runs on this computer');
    await userEvent.type(screen.getByLabelText('Server URL'), 'https://billing.example.com');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(fake.callsTo('account.signIn')).toEqual([
      {
        server_url: 'https://billing.example.com',
        email: 'ada@example.com',
        password: 'correct horse',
        register: false,
      },
    ]);
    expect((await screen.findByTestId('server-mode')).textContent).toContain('https://billing.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(fake.callsTo('account.signOut')).toHaveLength(1);
    expect((await screen.findByTestId('server-mode')).textContent).toContain('not signed in');
    await userEvent.click(screen.getByRole('button', { name: 'Back to embedded billing' }));
    expect(fake.callsTo('account.useEmbedded')).toHaveLength(1);
    expect((await screen.findByTestId('server-mode')).textContent).toContain('Billing runs on this computer');
  });

  test('creating an account sends register, and a refusal is shown', async () => {
    const fake = fakeBridge({
      'account.signIn': refuse('email_taken', 'That email already has an account.'),
    });
    await renderApp('settings', fake);
    await userEvent.type(screen.getByLabelText('Server URL'), 'https://billing.example.com');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse');
    await userEvent.click(screen.getByLabelText('Create a new account on this server'));
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(fake.callsTo('account.signIn')[0]).toMatchObject({ register: true });
    expect((await screen.findByTestId('account-error')).textContent).toBe('That email already has an account.');
  });

  test('local proxy port, start at login and notifications are saved through settings.update', async () => {
    const { fake } = await renderApp('settings');
    const port = screen.getByLabelText('Local proxy port') as HTMLInputElement;
    // The field takes the port from the settings in an effect, which may land just after the first paint.
    expect(await screen.findByDisplayValue('8899')).toBe(port);
    await userEvent.clear(port);
    await userEvent.type(port, '9000');
    await userEvent.click(screen.getByRole('button', { name: 'Save port' }));
    expect(await screen.findByText('Saved')).toBeTruthy();
    await userEvent.click(screen.getByLabelText('Start Atlantic Proxy when I log in'));
    await userEvent.click(screen.getByLabelText('Notify me when credits run low and when a session ends'));
    expect(fake.callsTo('settings.update')).toEqual([
      { local_proxy_port: 9000 },
      { start_at_login: true },
      { notifications: false },
    ]);
  });

  test('a refused setting shows why; settings pushed by the core show up', async () => {
    const fake = fakeBridge({
      'settings.update': refuse('invalid_request', 'local_proxy_port: Too small'),
    });
    await renderApp('settings', fake);
    await userEvent.click(screen.getByLabelText('Start Atlantic Proxy when I log in'));
    expect((await screen.findByTestId('settings-error')).textContent).toBe('local_proxy_port: Too small');
    act(() => fake.emit('settings.changed', fixtures.settings({ start_at_login: true, local_proxy_port: 9100 })));
    expect((screen.getByLabelText('Start Atlantic Proxy when I log in') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Local proxy port') as HTMLInputElement).value).toBe('9100');
  });

  test('system proxy and auto-connect are saved through settings.update; the system proxy status follows the core', async () => {
    const { fake } = await renderApp('settings');
    const systemProxy = screen.getByLabelText('Use as system proxy') as HTMLInputElement;
    expect(systemProxy.checked).toBe(false);
    expect(screen.getByTestId('system-proxy-status').textContent).toMatch(/put back as it was/);
    await userEvent.click(systemProxy);
    await userEvent.click(screen.getByLabelText('Connect to my last location when Atlantic Proxy starts'));
    expect(fake.callsTo('settings.update')).toEqual([{ system_proxy: true }, { auto_connect: true }]);
    act(() => fake.emit('desktop.changed', fixtures.desktop({ system_proxy: { state: 'on' } })));
    expect(screen.getByTestId('system-proxy-status').textContent).toBe('GNOME proxy points at Atlantic Proxy.');
    act(() =>
      fake.emit(
        'desktop.changed',
        fixtures.desktop({
          system_proxy: { state: 'failed', message: 'Could not change the system proxy: dconf said no' },
        }),
      ),
    );
    expect(screen.getByTestId('system-proxy-status').className).toBe('problem');
  });

  test('on a desktop that is neither GNOME nor KDE the system proxy says so and cannot be switched on', async () => {
    const message = 'Atlantic Proxy sets the system proxy on GNOME and KDE Plasma; this desktop (XFCE) is neither.';
    const fake = fakeBridge({
      'app.state': () =>
        fixtures.appState({
          desktop: fixtures.desktop({ system_proxy: { state: 'unsupported', desktop: null, message } }),
        }),
    });
    await renderApp('settings', fake);
    expect(screen.getByTestId('system-proxy-status').textContent).toBe(message);
    expect((screen.getByLabelText('Use as system proxy') as HTMLInputElement).disabled).toBe(true);
  });

  test('a port another program holds is refused with the reason, never "Saved"', async () => {
    const fake = fakeBridge({
      'settings.update': refuse(
        'port_in_use',
        'Port 9000 is already in use by another program. Choose another local proxy port.',
      ),
    });
    await renderApp('settings', fake);
    const port = screen.getByLabelText('Local proxy port') as HTMLInputElement;
    await userEvent.clear(port);
    await userEvent.type(port, '9000');
    await userEvent.click(screen.getByRole('button', { name: 'Save port' }));
    expect((await screen.findByTestId('settings-error')).textContent).toBe(
      'Port 9000 is already in use by another program. Choose another local proxy port.',
    );
    expect(screen.queryByText('Saved')).toBeNull();
    expect(port.value).toBe('9000');
  });
});
