import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { App } from './app-types.ts';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/** The charset a Content-Type header names, or undefined when it names none. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  return contentType ? CHARSET.exec(contentType)?.[1] : undefined;
}

// What PostgreSQL cannot store: NUL in text, an unpaired UTF-16 surrogate in jsonb (both were 500s).
const UNSTORABLE = /\0|\p{Cs}/u;

/** Whether any string in a parsed JSON value, keys included, holds a character the database refuses. */
function holdsUnstorableText(parsed: unknown): boolean {
  // A loop, not recursion: a 64 KB body can nest 30,000 levels deep.
  const pending: unknown[] = [parsed];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string' && UNSTORABLE.test(value)) return true;
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (UNSTORABLE.test(key)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

/**
 * The API reads bodies as plain UTF-8 JSON only. Fastify would decode any charset
 * as UTF-8, ignore a content coding and read text/plain as a string; here another
 * charset, a compressed body and text/plain are 415s, and text the database
 * cannot store is refused before it reaches it.
 */
export function installJsonBody(app: App): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => {
      const coding = request.headers['content-encoding'];
      if (coding !== undefined && coding.toLowerCase() !== 'identity') {
        return done(new AppError('unsupported_media_type', 'send JSON uncompressed, with no Content-Encoding'));
      }
      const charset = declaredCharset(request.headers['content-type']);
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
        const named = charset.slice(0, 40);
        return done(new AppError('unsupported_media_type', `send JSON in UTF-8; charset "${named}" is not accepted`));
      }
      parseJson(request, body, (error, value) => {
        if (error) return done(error);
        if (holdsUnstorableText(value)) {
          return done(
            new AppError('invalid_input', 'text may not contain NUL (\\u0000) or unpaired surrogates (\\ud800)'),
          );
        }
        done(null, value);
      });
    },
  );
}
