import type { SystemProxyStatus } from '../../shared/ipc/views.ts';
import { selectSettings, selectSystemProxy } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

function systemProxyLine(status: SystemProxyStatus): string {
  if (status.message) return status.message;
  if (status.state === 'on') return `${status.desktop ?? 'The system'} proxy points at Atlantic Proxy.`;
  return 'The system proxy is set while you are connected, and put back as it was when you disconnect or quit.';
}

/** The app's place on this computer: system proxy (with what it is doing) and auto-connect. */
export function DesktopSettings() {
  const settings = useAppStore(selectSettings);
  const systemProxy = useAppStore(selectSystemProxy);
  const updateSettings = useAppStore((s) => s.updateSettings);
  if (!settings) return null;
  const unsupported = systemProxy?.state === 'unsupported';

  return (
    <section className="card" aria-labelledby="desktop-heading">
      <h2 id="desktop-heading">Everyday use</h2>
      <label className="inline">
        <input
          type="checkbox"
          checked={settings.system_proxy}
          disabled={unsupported && !settings.system_proxy}
          onChange={(e) => void updateSettings({ system_proxy: e.target.checked })}
        />
        Use as system proxy
      </label>
      {systemProxy && (
        <p
          role="status"
          className={systemProxy.state === 'failed' ? 'problem' : 'muted'}
          data-testid="system-proxy-status"
          data-state={systemProxy.state}
        >
          {systemProxyLine(systemProxy)}
        </p>
      )}
      <label className="inline">
        <input
          type="checkbox"
          checked={settings.auto_connect}
          onChange={(e) => void updateSettings({ auto_connect: e.target.checked })}
        />
        Connect to my last location when Atlantic Proxy starts
      </label>
    </section>
  );
}
