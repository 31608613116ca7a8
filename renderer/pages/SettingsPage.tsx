import { AutoTopupSettings } from '../components/AutoTopupSettings.tsx';
import { DesktopSettings } from '../components/DesktopSettings.tsx';
import { PreferenceSettings } from '../components/PreferenceSettings.tsx';
import { ServerSettings } from '../components/ServerSettings.tsx';
import { selectInfo } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

export function SettingsPage() {
  const version = useAppStore(selectInfo)?.version;
  return (
    <>
      <h1>Settings</h1>
      <ServerSettings />
      <PreferenceSettings />
      <AutoTopupSettings />
      <DesktopSettings />
      {version && <p className="muted">Atlantic Proxy {version}</p>}
    </>
  );
}
