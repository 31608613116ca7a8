import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayModel } from '../../../../electron/core/client-core-types.ts';
import { TrayController, trayMenuTemplate, type TrayActions } from '../../../../electron/tray/tray-controller.ts';

const disconnected: TrayModel = {
  icon: 'disconnected',
  tooltip: 'Atlantic Proxy — disconnected',
  menu: [
    { id: 'status', label: 'Disconnected', enabled: false },
    { id: 'connect', label: 'Connect to New York, US · 0.75/h', enabled: true },
    { id: 'separator', label: '', enabled: false },
    { id: 'balance', label: 'Balance 27.00 · 36 h left', enabled: false },
    { id: 'buy', label: 'Buy credits…', enabled: true },
    { id: 'open', label: 'Open Atlantic', enabled: true },
    { id: 'quit', label: 'Quit', enabled: true },
  ],
};
const connected: TrayModel = {
  icon: 'connected',
  tooltip: 'Atlantic Proxy — connected to New York, US',
  menu: [
    { id: 'status', label: 'Connected — New York, US', enabled: false },
    { id: 'disconnect', label: 'Disconnect', enabled: true },
    { id: 'quit', label: 'Quit', enabled: true },
  ],
};

function actions(): TrayActions & Record<string, ReturnType<typeof vi.fn>> {
  return { connect: vi.fn(), disconnect: vi.fn(), restart_update: vi.fn(), buy: vi.fn(), open: vi.fn(), quit: vi.fn() };
}

function fakeCore(initial: TrayModel) {
  const listeners = new Set<(model: TrayModel) => void>();
  return {
    trayModel: () => initial,
    onTrayModel: (listener: (model: TrayModel) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push: (model: TrayModel) => listeners.forEach((listener) => listener(model)),
    listeners,
  };
}

function fakeTray() {
  return {
    setImage: vi.fn(),
    setToolTip: vi.fn(),
    setContextMenu: vi.fn(),
    on: vi.fn(),
    destroy: vi.fn(),
  };
}

describe('tray menu template', () => {
  it('turns the model into menu items: info lines disabled, separators, actions wired', () => {
    const act = actions();
    const template = trayMenuTemplate(disconnected, act);
    expect(template.map((item) => item.type ?? item.id)).toEqual([
      'status',
      'connect',
      'separator',
      'balance',
      'buy',
      'open',
      'quit',
    ]);
    expect(template[0]).toMatchObject({ label: 'Disconnected', enabled: false });
    expect(template[0]!.click).toBeUndefined();
    expect(template[1]).toMatchObject({ label: 'Connect to New York, US · 0.75/h', enabled: true });
    const click = (id: string) => (template.find((item) => item.id === id)!.click as unknown as () => void)();
    click('connect');
    click('buy');
    click('quit');
    expect(act.connect).toHaveBeenCalledTimes(1);
    expect(act.buy).toHaveBeenCalledTimes(1);
    expect(act.quit).toHaveBeenCalledTimes(1);
    expect(act.disconnect).not.toHaveBeenCalled();
  });

  it('keeps an entry the model disables disabled', () => {
    const model: TrayModel = { ...disconnected, menu: [{ id: 'connect', label: 'Connect', enabled: false }] };
    expect(trayMenuTemplate(model, actions())[0]).toMatchObject({ enabled: false });
  });
});

describe('TrayController', () => {
  it('renders the current model, follows changes, and swaps the icon only when the state changes', () => {
    const core = fakeCore(disconnected);
    const tray = fakeTray();
    const menus: MenuItemConstructorOptions[][] = [];
    const controller = new TrayController(
      core,
      {
        tray: tray as never,
        buildMenu: (template) => {
          menus.push(template);
          return template as never;
        },
        icon: (state) => `build/icons/tray-${state}.png`,
      },
      actions(),
    );
    expect(tray.setImage).toHaveBeenLastCalledWith('build/icons/tray-disconnected.png');
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Atlantic Proxy — disconnected');
    core.push({ ...disconnected, tooltip: 'Atlantic Proxy — disconnected · 26.99' });
    expect(tray.setImage).toHaveBeenCalledTimes(1);
    core.push(connected);
    expect(tray.setImage).toHaveBeenLastCalledWith('build/icons/tray-connected.png');
    expect(tray.setImage).toHaveBeenCalledTimes(2);
    expect(menus.at(-1)!.map((item) => item.id)).toEqual(['status', 'disconnect', 'quit']);
    controller.dispose();
    expect(core.listeners.size).toBe(0);
    expect(tray.destroy).toHaveBeenCalled();
  });

  it('opens the window on a tray click', () => {
    const tray = fakeTray();
    const act = actions();
    new TrayController(
      fakeCore(disconnected),
      { tray: tray as never, buildMenu: () => ({}) as never, icon: () => '' },
      act,
    );
    const [event, onClick] = tray.on.mock.calls[0]!;
    expect(event).toBe('click');
    (onClick as () => void)();
    expect(act.open).toHaveBeenCalled();
  });
});
