import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody } from '../../shared/api/errors.ts';
import { AppError, errorStatus, type ErrorCode, type ErrorDetails } from '../../shared/errors.ts';
import type { App } from './app-types.ts';

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
};

/**
 * The one place errors become HTTP: domain errors keep their code, validation
 * and framework errors become 4xx, anything else is logged and hidden as a 500.
 */
export function installErrorHandlers(app: App): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) return send(reply, error.code, error.message, error.details);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const where = issue?.instancePath
        ? `${error.validationContext}${issue.instancePath.replaceAll('/', '.')}`
        : error.validationContext;
      return send(reply, 'invalid_input', `${where ?? 'request'}: ${issue?.message ?? 'invalid'}`);
    }
    const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
    if (known) return send(reply, known[0], known[1]);
    if (error instanceof SyntaxError) return send(reply, 'invalid_input', 'the body is not valid JSON');
    if (error.statusCode === 429) return send(reply, 'rate_limited', error.message);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, 'invalid_input', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 'internal_error', 'something went wrong on our side');
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
}
