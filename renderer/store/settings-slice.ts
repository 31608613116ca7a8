import type { AppInfo, DesktopStatus, Settings, SettingsUpdate } from '../../shared/ipc/views.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import { messageOf, type LoadStatus } from './loadable.ts';

export interface SignInRequest {
  server_url: string;
  email: string;
  password: string;
  register?: boolean;
}

export interface SettingsSlice {
  /** The first app.state call: the whole window waits on it. */
  boot: { status: LoadStatus; error: string | null };
  info: AppInfo | null;
  settings: Settings | null;
  /** The system proxy (and, in the desktop app, updates) as the core last told. */
  desktop: DesktopStatus | null;
  settingsError: string | null;
  account: { busy: boolean; error: string | null };
  loadAppState(): Promise<void>;
  applyInfo(info: AppInfo): void;
  applySettings(settings: Settings): void;
  applyDesktop(desktop: DesktopStatus): void;
  /** Why "Restart to update" was refused (a session went live meanwhile), until the next try. */
  updateError: string | null;
  restartToUpdate(): Promise<void>;
  updateSettings(patch: SettingsUpdate): Promise<boolean>;
  signIn(request: SignInRequest): Promise<boolean>;
  signOut(): Promise<boolean>;
  useEmbedded(): Promise<boolean>;
}

export const createSettingsSlice: SliceOf<SettingsSlice> = (set, get) => {
  const accountCall = async (call: () => Promise<AppInfo>) => {
    set({ account: { busy: true, error: null } });
    try {
      set({ info: await call(), account: { busy: false, error: null } });
      return true;
    } catch (error) {
      set({ account: { busy: false, error: messageOf(error) } });
      return false;
    }
  };
  return {
    boot: { status: 'idle', error: null },
    info: null,
    settings: null,
    desktop: null,
    updateError: null,
    settingsError: null,
    account: { busy: false, error: null },
    loadAppState: async () => {
      set({ boot: { status: 'loading', error: null } });
      try {
        const state = await atlantic().app.state();
        set({
          boot: { status: 'ready', error: null },
          info: state.info,
          settings: state.settings,
          connection: state.connection,
          desktop: state.desktop,
        });
        get().applyWallet(state.wallet);
      } catch (error) {
        set({ boot: { status: 'error', error: messageOf(error) } });
      }
    },
    applyInfo: (info) => set({ info }),
    applySettings: (settings) => set({ settings }),
    applyDesktop: (desktop) => set({ desktop }),
    restartToUpdate: async () => {
      set({ updateError: null });
      try {
        set({ desktop: await atlantic().desktop.restartToUpdate() });
      } catch (error) {
        set({ updateError: messageOf(error) });
      }
    },
    updateSettings: async (patch) => {
      set({ settingsError: null });
      try {
        set({ settings: await atlantic().settings.update(patch) });
        return true;
      } catch (error) {
        set({ settingsError: messageOf(error) });
        return false;
      }
    },
    signIn: (request) => accountCall(() => atlantic().account.signIn(request)),
    signOut: () => accountCall(() => atlantic().account.signOut()),
    useEmbedded: () => accountCall(() => atlantic().account.useEmbedded()),
  };
};
