import type { Settings } from '../../../shared/ipc/views.ts';

/**
 * A fresh install: embedded billing, the local proxy on 8899, notifications
 * on; the system proxy and auto-connect stay off until the user asks.
 */
export const DEFAULT_SETTINGS: Settings = {
  server_url: null,
  local_proxy_port: 8899,
  start_at_login: false,
  notifications: true,
  last_location: null,
  system_proxy: false,
  auto_connect: false,
};
