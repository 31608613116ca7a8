import { readFile } from 'node:fs/promises';
import type { Db } from '../../../server/db/types.ts';

// Where a load test's CPU goes, from /proc (Linux): the service process, the
// PostgreSQL backends serving its database, and the load generator itself. On
// two cores they all compete, so a request's cost is the sum of the three.
// /proc counts in USER_HZ ticks, which Linux fixes at 100 per second for user space.
const MS_PER_TICK = 10;

export async function processCpuMs(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after "pid (comm) ": state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return null;
  }
}

/** CPU ms the whole machine spent in user and system mode (not idle, I/O wait, interrupts, steal), over all cores. */
async function machineBusyMs(): Promise<number | null> {
  try {
    const [user, nice, system] = (await readFile('/proc/stat', 'utf8'))
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return (user! + nice! + system!) * MS_PER_TICK;
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  at: number;
  server: number | null;
  postgres: number | null;
  generator: number | null;
  machine: number | null;
}

export interface CpuUse {
  /** CPU µs per request in each part; null where /proc could not be read. */
  serverUs: number | null;
  postgresUs: number | null;
  generatorUs: number | null;
  /** What everything on the machine used meanwhile, in cores (2 = both cores busy). */
  machineCores: number | null;
  /** The part of that the three did not use: other processes and kernel threads, in cores. */
  otherCores: number | null;
}

async function snapshot(db: Db, serverPid: number): Promise<CpuSnapshot> {
  // The backends of this scratch database: the service's pool (and the bench's own idle connection).
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  const backends = await Promise.all(rows.map((r) => processCpuMs(r.pid)));
  return {
    at: performance.now(),
    server: await processCpuMs(serverPid),
    postgres: backends.some((ms) => ms === null) ? null : backends.reduce<number>((a, b) => a + b!, 0),
    generator: await processCpuMs(process.pid),
    machine: await machineBusyMs(),
  };
}

/** Measures `work` (which reports how many requests it made) and splits its CPU time by process. */
export async function measureCpu<T extends { requests: number }>(
  db: Db,
  serverPid: number,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuUse }> {
  const before = await snapshot(db, serverPid);
  const result = await work();
  const after = await snapshot(db, serverPid);
  const spent = (k: keyof Omit<CpuSnapshot, 'at'>) =>
    after[k] === null || before[k] === null ? null : after[k]! - before[k]!;
  const perRequest = (ms: number | null) =>
    ms === null || result.requests === 0 ? null : (ms * 1000) / result.requests;
  const elapsed = after.at - before.at;
  const [server, postgres, generator, machine] = [
    spent('server'),
    spent('postgres'),
    spent('generator'),
    spent('machine'),
  ];
  const ours = server === null || postgres === null || generator === null ? null : server + postgres + generator;
  return {
    result,
    cpu: {
      serverUs: perRequest(server),
      postgresUs: perRequest(postgres),
      generatorUs: perRequest(generator),
      machineCores: machine === null ? null : machine / elapsed,
      otherCores: machine === null || ours === null ? null : Math.max(0, machine - ours) / elapsed,
    },
  };
}
