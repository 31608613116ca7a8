import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A session's own gateway password, shown to the client once; only `hash` is stored. */
export function mintGatewayPassword(): { password: string; hash: string } {
  const password = randomBytes(24).toString('base64url');
  return { password, hash: hashGatewayPassword(password).toString('hex') };
}

/** The digest a gateway password is kept and compared as. */
export function hashGatewayPassword(password: string): Buffer {
  return createHash('sha256').update(password).digest();
}

/** Whether `password` is the one whose hash (hex, or the digest itself) is stored, in constant time. */
export function gatewayPasswordMatches(password: string, stored: string | Buffer | null): boolean {
  if (!stored) return false;
  const expected = typeof stored === 'string' ? Buffer.from(stored, 'hex') : stored;
  const given = hashGatewayPassword(password);
  return expected.length === given.length && timingSafeEqual(given, expected);
}
