import { errorBodySchema } from '../../../shared/api/errors.ts';

/** A route's success schema plus the error body every route may answer with. */
export function responds<T>(status: 200 | 201, schema: T) {
  return { [status]: schema, '4xx': errorBodySchema, '5xx': errorBodySchema } as { [K in typeof status]: T } & {
    '4xx': typeof errorBodySchema;
    '5xx': typeof errorBodySchema;
  };
}
