import { useEffect, useState, type FormEvent } from 'react';
import { selectSettings } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

/** Local proxy port, start at login and notifications, each saved to the core as it changes. */
export function PreferenceSettings() {
  const settings = useAppStore(selectSettings);
  const error = useAppStore((s) => s.settingsError);
  const updateSettings = useAppStore((s) => s.updateSettings);
  const [port, setPort] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (settings) setPort(String(settings.local_proxy_port));
  }, [settings]);

  if (!settings) return null;

  const savePort = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(await updateSettings({ local_proxy_port: Number(port) }));
  };

  return (
    <section className="card" aria-labelledby="prefs-heading">
      <h2 id="prefs-heading">This computer</h2>
      <form onSubmit={(e) => void savePort(e)} className="form inline-form">
        <label>
          Local proxy port
          <input
            type="number"
            min={1024}
            max={65535}
            required
            value={port}
            onChange={(e) => {
              setPort(e.target.value);
              setSaved(false);
            }}
          />
        </label>
        <button type="submit">Save port</button>
        <span role="status" className="muted">
          {saved ? 'Saved' : ''}
        </span>
      </form>
      <label className="inline">
        <input
          type="checkbox"
          checked={settings.start_at_login}
          onChange={(e) => void updateSettings({ start_at_login: e.target.checked })}
        />
        Start Atlantic Proxy when I log in
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={settings.notifications}
          onChange={(e) => void updateSettings({ notifications: e.target.checked })}
        />
        Notify me when credits run low and when a session ends
      </label>
      {error && (
        <p role="alert" className="problem" data-testid="settings-error">
          {error}
        </p>
      )}
    </section>
  );
}
