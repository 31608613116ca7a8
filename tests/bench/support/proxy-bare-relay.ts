// The proxy bench's floor, in a process of its own: a relay with nothing but
// the relaying (no HTTP, no credentials, no counting), forwarding each
// connection to 127.0.0.1:BENCH_RELAY_TARGET the way the gateway and the local
// proxy relay their tunnels. Two in a row show what two relay hops cost on
// this machine. Prints {"port":…}; exits when stdin closes.
import net, { type AddressInfo } from 'node:net';
import { RecyclingReader } from '../../../relay/recycling-reader.ts';

const targetPort = Number(process.env.BENCH_RELAY_TARGET);

const server = net.createServer((client) => {
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

server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.stdin.on('end', () => process.exit(0)).resume();
