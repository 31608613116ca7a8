// The proxy bench's origin, in a process of its own: GET /bytes/N over HTTP; a
// TCP echo port that holds tunnels open; and a short-exchange port that reads a
// BENCH_SHORT_REQUEST-byte request, answers BENCH_SHORT_ANSWER bytes and closes
// (a scraper's short connection). Prints {"http":…,"echo":…,"short":…} once
// listening; exits when its parent closes stdin.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

const BLOCK = Buffer.alloc(1 << 20, 'x');
const SHORT_REQUEST_BYTES = Number(process.env.BENCH_SHORT_REQUEST ?? 1024);
const SHORT_ANSWER = Buffer.alloc(Number(process.env.BENCH_SHORT_ANSWER ?? 16 * 1024), 'a');

const server = http.createServer((request, response) => {
  const match = /^\/bytes\/(\d+)$/.exec(request.url ?? '');
  if (!match) return void response.writeHead(404).end();
  let left = Number(match[1]);
  response.writeHead(200, { 'content-length': left, 'content-type': 'application/octet-stream' });
  const write = () => {
    while (left > 0) {
      const chunk = left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
      left -= chunk.length;
      if (!response.write(chunk)) return void response.once('drain', write);
    }
    response.end();
  };
  write();
});
server.keepAliveTimeout = 60_000;

const echo = net.createServer((socket) => {
  socket.on('error', () => socket.destroy());
  socket.pipe(socket);
});

const short = net.createServer((socket) => {
  socket.on('error', () => socket.destroy());
  let received = 0;
  socket.on('data', (chunk) => {
    received += chunk.length;
    if (received >= SHORT_REQUEST_BYTES && !socket.writableEnded) socket.end(SHORT_ANSWER);
  });
});

const listen = (s: net.Server) =>
  new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
const [httpPort, echoPort, shortPort] = await Promise.all([listen(server), listen(echo), listen(short)]);
console.log(JSON.stringify({ http: httpPort, echo: echoPort, short: shortPort }));
process.stdin.on('end', () => process.exit(0)).resume();
