import { describe, expect, it } from 'vitest';
import { fieldOf, parseResponseHead, readResponseHead } from '../../../../electron/core/local-proxy/response-head.ts';

describe('response head', () => {
  it('reads the status, reason and every field in order, repeated ones included', () => {
    const head = parseResponseHead(
      'HTTP/1.1 407 Proxy Authentication Required\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nX-Atlantic-Refusal: session_ended:insufficient_credits',
    );
    expect(head).toEqual({
      status: 407,
      reason: 'Proxy Authentication Required',
      fields: [
        ['Set-Cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['X-Atlantic-Refusal', 'session_ended:insufficient_credits'],
      ],
    });
    expect(fieldOf(head!, 'x-atlantic-refusal')).toBe('session_ended:insufficient_credits');
    expect(fieldOf(head!, 'content-length')).toBeUndefined();
    expect(parseResponseHead('HTTP/1.0 200')).toEqual({ status: 200, reason: '', fields: [] });
  });

  it('calls anything but an HTTP/1.x status line with name: value fields malformed', () => {
    for (const text of [
      'SSH-2.0-OpenSSH',
      'HTTP/2 200 OK',
      'HTTP/1.1 20 OK',
      'HTTP/1.1 200 OK\r\nno colon here',
      'HTTP/1.1 200 OK\r\n folded',
    ]) {
      expect(parseResponseHead(text)).toBeUndefined();
    }
  });

  it('assembles a head split across reads and hands back what came after it', async () => {
    let deliver: ((chunk: Buffer) => void) | undefined;
    const read = readResponseHead((listener) => (deliver = listener));
    deliver!(Buffer.from('HTTP/1.1 200 Connection'));
    deliver!(Buffer.from(' Established\r\n\r'));
    deliver!(Buffer.from('\nfirst bytes of the tunnel'));
    const { head, rest } = await read;
    expect(head.status).toBe(200);
    expect(rest.toString()).toBe('first bytes of the tunnel');
    expect(deliver).toBeUndefined(); // it stopped listening
  });

  it('gives up on a head that never ends instead of buffering without limit', async () => {
    let deliver: ((chunk: Buffer) => void) | undefined;
    const read = readResponseHead((listener) => (deliver = listener));
    deliver!(Buffer.from('HTTP/1.1 200 OK\r\n'));
    deliver!(Buffer.alloc(17 * 1024, 'a'));
    await expect(read).rejects.toThrow('an oversized answer');
  });
});
