import { spawn } from 'node:child_process';
import { processCpuMs } from './process-cpu.ts';

/** One way a download goes: curl's proxy arguments and the URL it fetches. */
export interface DownloadMode {
  name: string;
  curlArgs: string[];
  url: string;
}

/** Processes whose CPU time is shown per mode, e.g. "gateway" or "HAProxy ×2". */
export interface WatchedProcesses {
  name: string;
  pids: number[];
}

const mbps = (bytesPerSecond: number) => `${(bytesPerSecond / 1e6).toFixed(0)} MB/s`;

/** curl downloading `bytes` to /dev/null; returns bytes per second. */
function download({ curlArgs, url }: DownloadMode, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '--noproxy', '', '-o', '/dev/null', '-w', '%{size_download} %{speed_download}', ...curlArgs, url], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    }); // prettier-ignore
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => {
      const [size, speed] = out.trim().split(' ').map(Number);
      if (code !== 0 || size !== bytes) return reject(new Error(`curl ${curlArgs.join(' ')} failed (${code}): ${err}`));
      resolve(speed!);
    });
  });
}

/** CPU ms each group of processes has used so far. */
export async function cpuMsOf(groups: WatchedProcesses[]): Promise<number[]> {
  return Promise.all(
    groups.map(async ({ pids }) =>
      (await Promise.all(pids.map(processCpuMs))).reduce<number>((a, b) => a + (b ?? 0), 0),
    ),
  );
}

/**
 * Downloads `bytes` once per mode per round, the modes interleaved so that other
 * work on the machine slows every mode alike; the best round of each counts, as
 * such work only ever slows a round down. Prints every round, each mode's best
 * against the `references` (mode names), and the CPU each watched process spent
 * per GiB; returns each mode's best bytes per second.
 */
export async function measureDownloads(
  modes: DownloadMode[],
  references: string[],
  bytes: number,
  rounds: number,
  watched: WatchedProcesses[],
): Promise<Map<string, number>> {
  const speeds = new Map<string, number[]>(modes.map(({ name }) => [name, []]));
  const cpu = new Map<string, number[]>(modes.map(({ name }) => [name, watched.map(() => 0)]));
  for (let round = 0; round < rounds; round += 1) {
    for (const mode of modes) {
      const before = await cpuMsOf(watched);
      speeds.get(mode.name)!.push(await download(mode, bytes));
      const after = await cpuMsOf(watched);
      cpu.set(
        mode.name,
        cpu.get(mode.name)!.map((ms, i) => ms + after[i]! - before[i]!),
      );
    }
  }
  const best = new Map([...speeds].map(([name, all]) => [name, Math.max(...all)]));
  console.log(
    `\n${(bytes / 2 ** 20).toFixed(0)} MiB download, curl to /dev/null, best of ${rounds} interleaved rounds (each round in brackets):`,
  );
  for (const { name } of modes) {
    const all = speeds
      .get(name)!
      .map((v) => (v / 1e6).toFixed(0))
      .join(', ');
    const vs = references
      .filter((reference) => reference !== name)
      .map((reference) => `${(best.get(name)! / best.get(reference)!).toFixed(2)}× ${reference}`)
      .join(', ');
    console.log(`  ${name.padEnd(36)} ${mbps(best.get(name)!).padStart(10)}  [${all}]  ${vs}`);
  }
  const gib = (rounds * bytes) / 2 ** 30;
  console.log(`  CPU seconds per GiB (${watched.map((w) => w.name).join(' / ')}):`);
  for (const { name } of modes) {
    const perGiB = cpu.get(name)!.map((ms) => (ms / 1000 / gib).toFixed(2));
    console.log(`    ${name.padEnd(34)} ${perGiB.join(' / ')}`);
  }
  return best;
}
