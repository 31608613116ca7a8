import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../server/db/open.ts';
import type { Db, Engine } from '../../../server/db/types.ts';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import { PaystackSimulator } from '../../simulators/paystack.ts';
import { callJson, sleep } from '../billed-client.ts';
import { createDatabaseOn } from '../scratch-server.ts';
import { startChild, type ChildProcessUnderTest } from '../service-child.ts';
import { freePort } from '../test-core.ts';
import { checkBooks, type BooksFindings, type UpInterval } from './books-check.ts';
import { purchaseLoad, redeliver, type OwedWebhook, type SeenPurchase } from './purchase-load.ts';
import { between, seededRandom } from './seeded-random.ts';
import { sessionLoad, type SeenSession } from './session-load.ts';

const PAYSTACK_SECRET = 'sk_test_atlantic_crash_run_0123456789';

export interface CrashRunOptions {
  engine: Engine;
  kills: number;
  seed: number;
  /** PostgreSQL server to create the run's database on (postgres engine). */
  serverUrl?: string;
  users?: number;
  log?: (line: string) => void;
}

export interface CrashRunResult extends BooksFindings {
  engine: Engine;
  kills: number;
  purchases: number;
  acknowledged: number;
  sessions: number;
  /** verifyLedger() violations found after each kill, summed. */
  ledgerViolations: number;
}

/**
 * The billing service as a child process under load (purchases by sandbox and
 * Paystack with duplicate and late webhooks, sessions connecting, heartbeating,
 * ticking every second and disconnecting), killed with SIGKILL at random moments
 * and restarted on the same data. After every kill the books are checked with
 * verifyLedger(); at the end, every purchase the buyer saw acknowledged must be
 * credited exactly once and no session charged for time the service was down.
 */
export async function crashRun(options: CrashRunOptions): Promise<CrashRunResult> {
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed);
  const dataDir = await mkdtemp(join(tmpdir(), 'atlantic-crash-'));
  const scratch =
    options.engine === 'postgres' ? await createDatabaseOn(options.serverUrl!, 'atlantic_crash') : undefined;
  const paystack = new PaystackSimulator({ secretKey: PAYSTACK_SECRET });
  const paystackUrl = await paystack.start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  paystack.webhookUrl = `${url}/api/webhooks/paystack`;
  const env = {
    DATABASE_URL: scratch?.url ?? '',
    ATLANTIC_DATA_DIR: dataDir,
    ATLANTIC_EMBEDDED: '0',
    PORT: String(port),
    GATEWAY_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    PAYMENT_METHODS: 'sandbox,paystack',
    PAYSTACK_SECRET_KEY: PAYSTACK_SECRET,
    PAYSTACK_BASE_URL: paystackUrl,
    METERING_TICK_MS: '1000',
    HEARTBEAT_GAP_MS: '1000',
    MIN_START_MINUTES: '1',
    MAX_OPEN_CHECKOUTS: '1000',
    PURCHASE_RATE_LIMIT: '100000',
    CONNECT_RATE_LIMIT: '100000',
  };
  const openBooks = (): Promise<Db> =>
    openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir: join(dataDir) });

  const up: UpInterval[] = [];
  let service: ChildProcessUnderTest | undefined;
  const start = async () => {
    // Up from the moment it exists: the check then allows for however long it takes to listen.
    up.push({ from: Date.now(), to: Infinity });
    service = startChild('server/main.ts', env);
    // At LOG_LEVEL=warn it says nothing when ready: it is ready when health answers.
    const deadline = Date.now() + 120_000;
    while ((await callJson(url, 'GET', '/api/health'))?.status !== 200) {
      if (Date.now() > deadline || service.child.exitCode !== null) throw new Error('the service did not come up');
      await sleep(100);
    }
  };
  const down = async (how: 'kill' | 'stop') => {
    await (how === 'kill' ? service!.kill() : service!.stop());
    up.at(-1)!.to = Date.now();
  };

  const purchases: SeenPurchase[] = [];
  const owed: OwedWebhook[] = [];
  const sessions: SeenSession[] = [];
  let running = true;
  let ledgerViolations = 0;
  try {
    await start();
    const tokens: string[] = [];
    for (let i = 0; i < (options.users ?? 4); i++) {
      const email = `crash-${options.seed}-${i}@example.com`;
      const registered = await callJson(url, 'POST', '/api/auth/register', undefined, {
        email,
        password: 'correct horse battery',
      });
      tokens.push(registered!.body.token);
    }
    const loads = tokens.flatMap((token, i) => [
      purchaseLoad({
        url: () => url,
        token,
        paystack,
        random: seededRandom(options.seed + i),
        running: () => running,
        seen: purchases,
        owed,
      }),
      sessionLoad({
        url: () => url,
        token,
        random: seededRandom(options.seed + 100 + i),
        running: () => running,
        heartbeatMs: 300,
        seen: sessions,
      }),
    ]);

    for (let kill = 1; kill <= options.kills; kill++) {
      await sleep(between(random, 1_000, 4_000));
      await down('kill');
      const books = await openBooks();
      const violations = await verifyLedger(books).finally(() => books.close());
      ledgerViolations += violations.length;
      log(
        `kill ${kill}: ${purchases.length} purchases, ${sessions.length} sessions so far; verifyLedger: ${violations.length} violations`,
      );
      for (const v of violations.slice(0, 5)) log(`  ${v.invariant}: ${v.subject} ${v.detail}`);
      await sleep(between(random, 500, 2_500)); // down a while longer: nobody may pay for it
      await start();
      await redeliver(paystack, owed);
    }
    await sleep(1_500);
    running = false;
    await Promise.all(loads);
    for (let tries = 0; owed.length > 0 && tries < 20; tries++) await redeliver(paystack, owed);
    await down('stop');

    const books = await openBooks();
    try {
      const final = await verifyLedger(books);
      ledgerViolations += final.length;
      const findings = await checkBooks(books, purchases, up);
      for (const line of findings.overcharged) log(`charged while down: ${line}`);
      log(`up: ${up.map((u) => `${u.from}..${u.to}`).join(' ')}`);
      return {
        engine: options.engine,
        kills: options.kills,
        purchases: purchases.length,
        acknowledged: purchases.filter((p) => p.acknowledged).length,
        sessions: sessions.length,
        ledgerViolations,
        ...findings,
      };
    } finally {
      await books.close();
    }
  } finally {
    running = false;
    await service?.kill();
    await paystack.stop();
    await scratch?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
