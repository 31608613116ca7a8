import { expect } from 'vitest';
import { AppError } from '../../shared/errors.ts';

/** Asserts that `run` throws an AppError with this code. */
export function expectAppError(run: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe(code);
}
