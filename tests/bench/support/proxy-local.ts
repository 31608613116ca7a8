// The proxy bench's client side, in a process of its own: the client core's
// local proxy forwarding through the gateway named in BENCH_GATEWAY (JSON
// {host, port, username, password}). Prints {"port":…}; exits when stdin closes
// or on SIGTERM (exiting, not killed, so that `--cpu-prof` writes its profile).
import { LocalProxy } from '../../../electron/core/local-proxy/local-proxy.ts';

const gateway = JSON.parse(process.env.BENCH_GATEWAY ?? '') as {
  host: string;
  port: number;
  username: string;
  password: string;
};
const proxy = new LocalProxy({ port: 0, route: () => ({ gateway }) });
console.log(JSON.stringify({ port: await proxy.start() }));
process.stdin.on('end', () => process.exit(0)).resume();
process.once('SIGTERM', () => process.exit(0));
