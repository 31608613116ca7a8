import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { ClientCore, TrayMenuItem, TrayModel } from '../core/client-core-types.ts';

export type TrayIconState = TrayModel['icon'];

/** What each actionable tray entry does; the composition root wires these to the core and the window. */
export type TrayActions = Record<
  Extract<TrayMenuItem['id'], 'connect' | 'disconnect' | 'restart_update' | 'buy' | 'open' | 'quit'>,
  () => void
>;

export interface TrayParts {
  tray: Pick<Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu;
  /** build/icons/tray-<state>.png (Electron picks the @2x file on HiDPI screens). */
  icon: (state: TrayIconState) => NativeImage | string;
}

/** The core's tray model as Electron menu items: data in, template out. */
export function trayMenuTemplate(model: TrayModel, actions: TrayActions): MenuItemConstructorOptions[] {
  return model.menu.map((item): MenuItemConstructorOptions => {
    if (item.id === 'separator') return { type: 'separator' };
    if (item.id === 'status' || item.id === 'balance') return { id: item.id, label: item.label, enabled: false };
    const action = actions[item.id];
    return { id: item.id, label: item.label, enabled: item.enabled, click: () => action() };
  });
}

/** Renders the core's tray model into the system tray and follows its changes until disposed. */
export class TrayController {
  private shownIcon: TrayIconState | null = null;
  private readonly stopListening: () => void;

  constructor(
    core: Pick<ClientCore, 'trayModel' | 'onTrayModel'>,
    private readonly parts: TrayParts,
    private readonly actions: TrayActions,
  ) {
    // A left click opens the window where the platform reports clicks (Windows, macOS); Linux shows the menu.
    parts.tray.on('click', () => actions.open());
    this.render(core.trayModel());
    this.stopListening = core.onTrayModel((model) => this.render(model));
  }

  render(model: TrayModel): void {
    if (model.icon !== this.shownIcon) {
      this.parts.tray.setImage(this.parts.icon(model.icon));
      this.shownIcon = model.icon;
    }
    this.parts.tray.setToolTip(model.tooltip);
    this.parts.tray.setContextMenu(this.parts.buildMenu(trayMenuTemplate(model, this.actions)));
  }

  dispose(): void {
    this.stopListening();
    this.parts.tray.destroy();
  }
}
