// The billing service in a process of its own, for the api bench: the load
// generator must not share an event loop (or a core) with the server it measures.
//
//   node --import tsx tests/bench/support/api-server.ts
//
// Reads the service's usual environment (DATABASE_URL, LOG_LEVEL, …) with free
// loopback ports unless PORT / GATEWAY_PORT are set, prints one JSON line
// {"api_server_url": …} on stdout once it listens (among the service's own JSON
// logs at LOG_LEVEL=info), and shuts down gracefully on SIGTERM/SIGINT or when its
// stdin closes (so it never outlives a bench that was killed).
import { loadConfig } from '../../../server/config.ts';
import { startService } from '../../../server/service.ts';

const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', GATEWAY_PORT: '0', LOG_LEVEL: 'warn', ...process.env });
if (!config.databaseUrl) throw new Error('api-server: set DATABASE_URL; the api bench measures PostgreSQL');
const service = await startService(config, { logger: { level: config.logLevel } });
console.log(JSON.stringify({ api_server_url: service.url, pid: process.pid, log_level: config.logLevel }));

let stopping = false;
function stop(why: string): void {
  if (stopping) return;
  stopping = true;
  service.app.log.info({ why }, 'api bench server stopping');
  service.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`api-server: shutdown failed: ${String(error)}`);
      process.exit(1);
    },
  );
}

process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
process.stdin.on('end', () => stop('stdin closed')).resume();
