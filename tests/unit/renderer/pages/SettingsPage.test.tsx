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
    expect(port.value).toBe('8899');
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
