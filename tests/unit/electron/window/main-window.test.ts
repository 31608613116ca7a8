import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { MainWindow } from '../../../../electron/window/main-window.ts';

function fakeWindow() {
  let visible = false;
  let minimized = false;
  const window = Object.assign(new EventEmitter(), {
    isVisible: () => visible,
    isMinimized: () => minimized,
    isDestroyed: () => false,
    show: vi.fn(() => {
      visible = true;
      window.emit('show');
    }),
    hide: vi.fn(() => {
      visible = false;
      window.emit('hide');
    }),
    restore: vi.fn(() => {
      minimized = false;
      window.emit('restore');
    }),
    minimize: () => {
      minimized = true;
      window.emit('minimize');
    },
    focus: vi.fn(),
    loadURL: vi.fn(async (_url: string) => undefined),
  });
  return window;
}

const closeEvent = () => ({ preventDefault: vi.fn() });

describe('MainWindow', () => {
  it('hides instead of closing, so the app stays in the tray, and reports visibility for wallet polling', () => {
    const window = fakeWindow();
    const main = new MainWindow(window as never);
    const visibility: boolean[] = [];
    main.onVisibleChange((visible) => visibility.push(visible));
    main.show();
    const close = closeEvent();
    window.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(window.hide).toHaveBeenCalled();
    main.show();
    window.minimize();
    expect(visibility).toEqual([true, false, true, false]);
  });

  it('closes for real once quitting', () => {
    const window = fakeWindow();
    const main = new MainWindow(window as never);
    main.allowClose();
    const close = closeEvent();
    window.emit('close', close);
    expect(close.preventDefault).not.toHaveBeenCalled();
    expect(window.hide).not.toHaveBeenCalled();
  });

  it('loads the app page, and brings the window forward on a page when asked', async () => {
    const window = fakeWindow();
    const main = new MainWindow(window as never);
    await main.load(false);
    expect(window.loadURL).toHaveBeenCalledWith('app://atlantic/index.html');
    window.emit('ready-to-show');
    expect(window.show).not.toHaveBeenCalled();
    window.minimize();
    main.show('buy');
    expect(window.loadURL).toHaveBeenLastCalledWith('app://atlantic/index.html#/buy');
    expect(window.restore).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });
});
