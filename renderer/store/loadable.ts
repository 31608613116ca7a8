export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Something fetched over the bridge: pages show loading, empty, error and ready from this one shape. */
export interface Loadable<T> {
  status: LoadStatus;
  data: T | null;
  error: string | null;
}

export const notLoaded = <T>(): Loadable<T> => ({ status: 'idle', data: null, error: null });

/** The message a user should read for a failed call (the core's IpcError carries one). */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

/**
 * Runs a fetch and writes its progress into one Loadable field. Keeps the old
 * data while reloading, so a refresh never blanks a page.
 */
export async function loadInto<T>(
  write: (next: (previous: Loadable<T>) => Loadable<T>) => void,
  fetch: () => Promise<T>,
): Promise<void> {
  write((previous) => ({ ...previous, status: 'loading', error: null }));
  try {
    const data = await fetch();
    write(() => ({ status: 'ready', data, error: null }));
  } catch (error) {
    write((previous) => ({ ...previous, status: 'error', error: messageOf(error) }));
  }
}
