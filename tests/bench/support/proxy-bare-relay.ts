// The proxy bench's floor, in a process of its own: a relay with nothing but
// the relaying (no HTTP, no credentials, no counting), forwarding connections
// the way the gateway and the local proxy relay their tunnels. For each named
// target in BENCH_RELAY_TARGETS (JSON name → port on 127.0.0.1) it listens on a
// port of its own. Two in a row show what two relay hops cost on this machine.
// Prints {"ports":{name: port}}; exits when stdin closes.
import net, { type AddressInfo } from 'node:net';
import { RecyclingReader } from '../../../relay/recycling-reader.ts';

const targets = JSON.parse(process.env.BENCH_RELAY_TARGETS ?? '{}') as Record<string, number>;

function relayTo(targetPort: number): net.Server {
  return net.createServer((client) => {
    client.pause();
    const reader = new RecyclingReader();
    const target = net.connect({ host: '127.0.0.1', port: targetPort, onread: reader.onread }, () => {
      client.pipe(target);
      reader.pipeTo(target, client);
      client.resume();
    });
    target.once('close', () => client.end());
    client.once('close', () => target.destroy());
    client.on('error', () => target.destroy());
    target.on('error', () => client.destroy());
  });
}

const ports = await Promise.all(
  Object.entries(targets).map(async ([name, port]) => {
    const server = relayTo(port);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return [name, (server.address() as AddressInfo).port] as const;
  }),
);
console.log(JSON.stringify({ ports: Object.fromEntries(ports) }));
process.stdin.on('end', () => process.exit(0)).resume();
