// Module resolution hook: 'electron' is the stand-in module next to this file,
// resolved through the hooks before this one (tsx's), which know how to load TypeScript.
type Resolve = (specifier: string, context: { parentURL?: string | undefined }) => Promise<unknown>;

export async function resolve(specifier: string, context: { parentURL?: string | undefined }, next: Resolve) {
  if (specifier === 'electron') return next('./electron.ts', { ...context, parentURL: import.meta.url });
  return next(specifier, context);
}
