import { describe, expect, it } from 'vitest';
import { readConnectHead } from '../../../relay/connect-head.ts';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const head = (lines: string[], rest = '') => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${rest}`, 'latin1');
const SESSION = '0b5e5a6e-3c51-4b8e-9d2f-6f1d2c3b4a59';

describe('reading a CONNECT head without the HTTP parser', () => {
  it('reads target, credentials and the bytes that follow the head', () => {
    const read = readConnectHead(
      head(
        [
          'CONNECT example.com:443 HTTP/1.1',
          'Host: example.com:443',
          `Proxy-Authorization: ${basic(`${SESSION}:pw:with:colons`)}`,
        ],
        '\x16\x03\x01 client hello',
      ),
    );
    expect(read).toMatchObject({ hostname: 'example.com', port: 443, username: SESSION, password: 'pw:with:colons' });
    expect(read!.rest.toString('latin1')).toBe('\x16\x03\x01 client hello');
  });

  it.each([
    ['an IPv6 literal, in brackets as proxy-chain gives it', 'CONNECT [::1]:8080 HTTP/1.1', '[::1]', 8080],
    [
      'a name spelled as sent (a connect:// URL keeps it, as in proxy-chain)',
      'CONNECT ExAmple.COM:80 HTTP/1.0',
      'ExAmple.COM',
      80,
    ],
  ])('%s', (_name, requestLine, hostname, port) => {
    const read = readConnectHead(head([requestLine, `proxy-authorization:${basic('u:p')}`]));
    expect(read).toMatchObject({ hostname, port, username: 'u', password: 'p' });
  });

  // Each of these goes to the HTTP server (proxy-chain's in the gateway), which answers it as HTTP says.
  it.each([
    ['not a CONNECT', ['GET http://example.com/ HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`]],
    [
      'credentials twice',
      ['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`, `Proxy-Authorization: ${basic('v:q')}`],
    ],
    ['not Basic', ['CONNECT a.com:443 HTTP/1.1', 'Proxy-Authorization: Bearer abc']],
    ['a username without a password', ['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization: ${basic('only-a-name')}`]],
    ['no port', ['CONNECT example.com HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`]],
    ['port out of range', ['CONNECT example.com:70000 HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`]],
    ['an HTTP version it does not know', ['CONNECT a.com:443 HTTP/2.0', `Proxy-Authorization: ${basic('u:p')}`]],
    ['a body announced', ['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`, 'Content-Length: 5']],
    ['chunked', ['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`, 'Transfer-Encoding: chunked']],
    [
      'a folded header line',
      ['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`, 'X-A: b', ' folded'],
    ],
    ['a header without a colon', ['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`, 'nonsense']],
    [
      'a control character in a value',
      ['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`, 'X-A: b\x00c'],
    ],
    ['a space before the colon', ['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization : ${basic('u:p')}`]],
  ])('leaves it to the HTTP parser: %s', (_name, lines) => {
    expect(readConnectHead(head(lines))).toBeUndefined();
  });

  it('reads a CONNECT without credentials (as apps send them to the local proxy) with both left empty', () => {
    const read = readConnectHead(head(['CONNECT example.com:443 HTTP/1.1', 'Host: example.com:443']));
    expect(read).toMatchObject({ hostname: 'example.com', port: 443, username: '', password: '' });
  });

  it('leaves a head that has not fully arrived, or is too long to be a plain CONNECT, to the HTTP parser', () => {
    const whole = head(['CONNECT a.com:443 HTTP/1.1', `Proxy-Authorization: ${basic('u:p')}`]);
    expect(readConnectHead(whole)).toBeDefined();
    expect(readConnectHead(whole.subarray(0, whole.length - 1))).toBeUndefined();
    const padded = head([
      'CONNECT a.com:443 HTTP/1.1',
      `X-Pad: ${'x'.repeat(9000)}`,
      `Proxy-Authorization: ${basic('u:p')}`,
    ]);
    expect(readConnectHead(padded)).toBeUndefined();
    expect(readConnectHead(Buffer.from('CONN'))).toBeUndefined();
  });
});
