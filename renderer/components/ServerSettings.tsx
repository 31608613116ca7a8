import { useState, type FormEvent } from 'react';
import { selectInfo } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

function SignInForm() {
  const signIn = useAppStore((s) => s.signIn);
  const busy = useAppStore((s) => s.account.busy);
  const [serverUrl, setServerUrl] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [register, setRegister] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await signIn({ server_url: serverUrl.trim(), email: email.trim(), password, register })) setPassword('');
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="form" aria-label="Use a remote server">
      <label>
        Server URL
        <input
          type="url"
          required
          placeholder="https://billing.example.com"
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
        />
      </label>
      <label>
        Email
        <input type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Password
        <input
          type="password"
          required
          minLength={8}
          autoComplete={register ? 'new-password' : 'current-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <label className="inline">
        <input type="checkbox" checked={register} onChange={(e) => setRegister(e.target.checked)} />
        Create a new account on this server
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {register ? 'Create account' : 'Sign in'}
      </button>
    </form>
  );
}

/** Embedded billing on this machine, or a remote service with an account on it. */
export function ServerSettings() {
  const info = useAppStore(selectInfo);
  const error = useAppStore((s) => s.account.error);
  const busy = useAppStore((s) => s.account.busy);
  const { signOut, useEmbedded } = useAppStore.getState();
  if (!info) return null;
  return (
    <section className="card" aria-labelledby="server-heading">
      <h2 id="server-heading">Server</h2>
      {info.mode === 'embedded' ? (
        <p data-testid="server-mode">Billing runs on this computer (embedded, test-mode payments).</p>
      ) : (
        <p data-testid="server-mode">
          Remote server: <code>{info.server_url}</code>
          {info.signed_in && info.account ? ` · signed in as ${info.account.email}` : ' · not signed in'}
        </p>
      )}
      {error && (
        <p role="alert" className="problem" data-testid="account-error">
          {error}
        </p>
      )}
      {info.mode === 'remote' && info.signed_in && (
        <button type="button" disabled={busy} onClick={() => void signOut()}>
          Sign out
        </button>
      )}
      {info.mode === 'remote' && (
        <button type="button" disabled={busy} onClick={() => void useEmbedded()}>
          Back to embedded billing
        </button>
      )}
      {!(info.mode === 'remote' && info.signed_in) && <SignInForm />}
    </section>
  );
}
