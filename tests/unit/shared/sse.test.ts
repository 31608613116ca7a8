import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../shared/api/sse.ts';

describe('SseParser', () => {
  it('reads events split anywhere across chunks, skipping comments and retry', () => {
    const parser = new SseParser();
    const stream =
      'retry: 3000\n\n: keep-alive\n\nevent: wallet\ndata: {"a":1}\n\nevent: wallet\r\ndata: {"b":\r\ndata: 2}\r\n\r\n';
    const seen = [];
    for (let i = 0; i < stream.length; i += 3) seen.push(...parser.push(stream.slice(i, i + 3)));
    expect(seen).toEqual([
      { event: 'wallet', data: '{"a":1}' },
      { event: 'wallet', data: '{"b":\n2}' },
    ]);
  });

  it('an unnamed event is a message; a half-received event waits for its blank line', () => {
    const parser = new SseParser();
    expect(parser.push('data: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'x' }]);
  });
});
