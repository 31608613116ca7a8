import { describe, expect, it } from 'vitest';
import {
  newAccessToken,
  presentedToken,
  tokenCookie,
  tokenMatches,
} from '../../../../electron/headless/access-token.ts';

describe('headless host access token', () => {
  it('is 256 random bits, URL-safe, new each start', () => {
    const tokens = new Set(Array.from({ length: 50 }, newAccessToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('matches only the exact token, whatever the length presented', () => {
    const token = newAccessToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, undefined)).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, token.slice(0, -1))).toBe(false);
    expect(tokenMatches(token, `${token}x`)).toBe(false);
  });

  it('reads the token from the address first, else from this port’s cookie', () => {
    expect(presentedToken('/?token=abc', 'atlantic_token_8790=zzz', 8790)).toEqual({ token: 'abc', inQuery: true });
    expect(presentedToken('/assets/a.js', 'theme=dark; atlantic_token_8790=zzz', 8790)).toEqual({
      token: 'zzz',
      inQuery: false,
    });
    // Another host on another port has its own cookie.
    expect(presentedToken('/', 'atlantic_token_9999=zzz', 8790).token).toBeUndefined();
    expect(presentedToken(undefined, undefined, 8790).token).toBeUndefined();
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the whole host', () => {
    expect(tokenCookie(8790, 'abc')).toBe('atlantic_token_8790=abc; Path=/; HttpOnly; SameSite=Strict');
  });
});
