import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';

/** Checks a hex HMAC of the raw body in constant time; throws `invalid_signature` otherwise. */
export function checkHmac(
  algorithm: 'sha256' | 'sha512',
  secret: string,
  rawBody: Buffer,
  signature: string | undefined,
): void {
  if (!signature) throw new AppError('invalid_signature', 'the webhook is not signed');
  const expected = createHmac(algorithm, secret).update(rawBody).digest();
  const hex = signature.trim().toLowerCase();
  // Buffer.from(…, 'hex') stops at the first non-hex character: insist on exactly the digest's digits.
  const given = /^[0-9a-f]+$/.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
  if (hex.length !== expected.length * 2 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('invalid_signature', 'the webhook signature does not match its body');
  }
}

/** Parses a body whose signature has been checked; a signed body that is not JSON is still refused. */
export function parseSignedJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new AppError('invalid_input', 'the webhook body is not JSON');
  }
}
