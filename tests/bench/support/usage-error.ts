/** A bench run wrongly (unknown name, no DATABASE_URL): reported as one line, without a stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}
