// The update flow over the real electron-updater (its generic provider, as
// electron-builder.json's `publish` configures it) against a feed on loopback:
// latest-linux.yml and a .deb served slowly enough to report progress. Only
// Electron's parts are swapped: the app adapter, and Node's HTTP in place of
// Electron's net module.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor.js';
import { DebUpdater } from 'electron-updater';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronUpdaterPort } from '../../../../electron/core/update/electron-updater-port.ts';
import { UpdateFlow } from '../../../../electron/core/update/update-flow.ts';
import type { UpdateStatus } from '../../../../shared/ipc/views.ts';

const ARTIFACT = 'atlantic-proxy_1.1.0_amd64.deb';
const artifact = randomBytes(1 << 20);
const sha512 = createHash('sha512').update(artifact).digest('base64');
const latestYml = [
  'version: 1.1.0',
  'files:',
  `  - url: ${ARTIFACT}`,
  `    sha512: ${sha512}`,
  `    size: ${artifact.length}`,
  `path: ${ARTIFACT}`,
  `sha512: ${sha512}`,
  "releaseDate: '2026-12-01T00:00:00.000Z'",
  '',
].join('\n');

/** The feed: latest-linux.yml, and the artifact in eight slices 300 ms apart (progress comes once a second). */
function startFeed(requests: string[]): Promise<Server> {
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const path = new URL(request.url ?? '/', 'http://feed').pathname;
    if (path === '/latest-linux.yml') return response.end(latestYml);
    if (path !== `/${ARTIFACT}`) return response.writeHead(404).end();
    response.writeHead(200, { 'content-length': artifact.length, 'content-type': 'application/octet-stream' });
    const slice = artifact.length / 8;
    let sent = 0;
    const send = () => {
      response.write(artifact.subarray(sent * slice, (sent + 1) * slice));
      if (++sent === 8) response.end();
      else setTimeout(send, 300);
    };
    send();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** electron-updater's own download logic, with requests through Node's http instead of Electron's net module. */
class NodeNetExecutor extends ElectronHttpExecutor {
  readonly #node = new NodeHttpExecutor();

  override createRequest(options: object, callback: (response: unknown) => void) {
    return this.#node.createRequest(options, callback) as unknown as Electron.ClientRequest;
  }
}

/** A DebUpdater as a packaged app (1.0.0 unless told) would have it, reading the app-update.yml electron-builder writes from `publish`. */
function packagedUpdater(feedUrl: string, version = '1.0.0') {
  const dir = mkdtempSync(join(tmpdir(), 'atlantic-update-'));
  const configPath = join(dir, 'app-update.yml');
  writeFileSync(configPath, `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: atlantic-proxy-updater\n`);
  const updater = new DebUpdater(undefined, {
    version,
    name: 'Atlantic Proxy',
    isPackaged: true,
    appUpdateConfigPath: configPath,
    userDataPath: dir,
    baseCachePath: dir,
    whenReady: async () => undefined,
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  });
  (updater as unknown as { httpExecutor: NodeNetExecutor }).httpExecutor = new NodeNetExecutor(() => undefined);
  updater.logger = null;
  const installs: string[] = [];
  // The real one would run dpkg and quit: the test only needs to know it was asked.
  updater.quitAndInstall = () => void installs.push('install');
  return { updater, installs };
}

describe('update flow on electron-updater against a local generic feed', () => {
  let server: Server;
  const requests: string[] = [];

  beforeAll(async () => {
    server = await startFeed(requests);
  });
  afterAll(() => new Promise((resolve) => server?.close(resolve)));

  it('checks, downloads with progress, is ready, and restarts only once no session is live', async () => {
    const feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { updater, installs } = packagedUpdater(feedUrl);
    const statuses: UpdateStatus[] = [];
    let live = true;
    const flow = new UpdateFlow({
      updater: electronUpdaterPort(updater),
      isLive: () => live,
      onStatus: (status) => statuses.push(status),
    });
    expect(flow.status.state).toBe('idle');

    await flow.start();
    flow.stop();
    expect(requests.map((url) => new URL(url, feedUrl).pathname)).toEqual(['/latest-linux.yml', `/${ARTIFACT}`]);
    expect(statuses[0]).toEqual({ state: 'checking', version: null, percent: null, message: null });
    const percents = statuses.filter((s) => s.state === 'downloading').map((s) => s.percent!);
    expect(percents[0]).toBe(0);
    // Some progress between the start and the end, rising: the window's bar moves.
    expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(statuses.at(-1)).toEqual({ state: 'ready', version: '1.1.0', percent: 100, message: null });

    expect(() => flow.restart()).toThrow(expect.objectContaining({ code: 'session_live' }));
    expect(installs).toEqual([]);
    live = false;
    flow.restart();
    expect(installs).toEqual(['install']);
  }, 30_000);

  it('an up-to-date app stays idle and downloads nothing', async () => {
    const feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { updater } = packagedUpdater(feedUrl, '1.1.0');
    requests.length = 0;
    const flow = new UpdateFlow({ updater: electronUpdaterPort(updater), isLive: () => false, onStatus: () => {} });
    await flow.check();
    expect(flow.status.state).toBe('idle');
    expect(requests.map((url) => new URL(url, feedUrl).pathname)).toEqual(['/latest-linux.yml']);
    expect(() => flow.restart()).toThrow(expect.objectContaining({ code: 'no_update_ready' }));
  });

  it('a feed that is down leaves the status failed, quietly, and the next check tries again', async () => {
    const { updater } = packagedUpdater('http://127.0.0.1:9/');
    const errors: unknown[] = [];
    const flow = new UpdateFlow({
      updater: electronUpdaterPort(updater),
      isLive: () => false,
      onStatus: () => {},
      onError: (error) => errors.push(error),
    });
    await flow.check();
    expect(flow.status).toMatchObject({ state: 'failed', message: expect.stringMatching(/^Could not update: /) });
    expect(flow.status.message!.length).toBeLessThan(220);
    expect(errors).toHaveLength(1);
    await flow.check();
    expect(errors).toHaveLength(2);
  });
});
