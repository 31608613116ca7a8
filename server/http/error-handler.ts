import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody } from '../../shared/api/errors.ts';
import { AppError, errorStatus, type ErrorCode, type ErrorDetails } from '../../shared/errors.ts';
import type { App } from './app-types.ts';
import { MAX_PARAM_LENGTH } from './request-guards.ts';

function send(reply: FastifyReply, code: ErrorCode, message: string, details?: ErrorDetails) {
  const body: ErrorBody = { error: { code, message, ...(details && { details }) } };
  return reply.status(errorStatus[code]).type('application/json').send(body);
}

// Fastify's own request errors, by code, and what we call them.
const FRAMEWORK_ERRORS: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_input', 'the body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_input', 'the body is empty but declared as JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'the body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'send the body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_input', 'the content length does not match the body'],
  FST_ERR_BAD_URL: ['malformed_request', 'the URL is not valid (a % not followed by two hex digits?)'],
  FST_ERR_MAX_PARAM_LENGTH: ['uri_too_long', `a part of the URL path is longer than ${MAX_PARAM_LENGTH} characters`],
};

// A message echoes at most this much of what the caller sent.
const ECHO_LIMIT = 200;
const echo = (text: string) => (text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text);

/** Any error, as the code and message the caller gets; undefined for an error of ours to log and hide. */
function describe(error: FastifyError): [ErrorCode, string, ErrorDetails?] | undefined {
  if (error instanceof AppError) return [error.code, error.message, error.details];
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const where = issue?.instancePath
      ? `${error.validationContext}${issue.instancePath.replaceAll('/', '.')}`
      : error.validationContext;
    return ['invalid_input', `${where ?? 'request'}: ${issue?.message ?? 'invalid'}`];
  }
  const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
  if (known) return known;
  if (error instanceof SyntaxError) return ['invalid_input', 'the body is not valid JSON'];
  if (error.statusCode === 429) return ['rate_limited', error.message];
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return ['invalid_input', echo(error.message)];
  }
  return undefined;
}

/** Answers any error in the shape; also Fastify's `frameworkErrors`, raised before routing (bad URL, too long a parameter). */
export function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const described = describe(error);
  if (described) return send(reply, ...described);
  request.log.error({ err: error }, 'unhandled error');
  return send(reply, 'internal_error', 'something went wrong on our side');
}

/**
 * The one place errors become HTTP: domain errors keep their code, validation
 * and framework errors become 4xx, anything else is logged and hidden as a 500.
 */
export function installErrorHandlers(app: App): void {
  app.setErrorHandler(answerError);
  app.setNotFoundHandler((request, reply) =>
    send(reply, 'not_found', `no route ${request.method} ${echo(request.url.split('?')[0] ?? '')}`),
  );
}
