// `npm run bench -- NAME` runs the `run()` exported by tests/bench/NAME.ts.
import { readdir } from 'node:fs/promises';
import { UsageError } from './support/usage-error.ts';

interface Bench {
  run(): Promise<void>;
}

const BENCH_DIR = new URL('./', import.meta.url);

/** Every .ts file beside this one is a bench; helpers live in support/. */
async function availableBenches(): Promise<string[]> {
  const files = await readdir(BENCH_DIR, { withFileTypes: true });
  return files
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && f.name !== 'run.ts')
    .map((f) => f.name.slice(0, -'.ts'.length))
    .sort();
}

async function main(): Promise<void> {
  const benches = await availableBenches();
  const name = process.argv[2];
  const usage = `usage: npm run bench -- NAME, where NAME is one of: ${benches.join(', ')}`;
  if (!name) throw new UsageError(usage);
  if (!benches.includes(name)) throw new UsageError(`no bench named "${name}"; ${usage}`);

  const bench = (await import(new URL(`./${name}.ts`, BENCH_DIR).href)) as Partial<Bench>;
  if (typeof bench.run !== 'function') throw new Error(`tests/bench/${name}.ts does not export a run() function`);
  await bench.run();
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && !(error instanceof UsageError)) console.error(error.stack);
  process.exitCode = 1;
});
