import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { credits, type MicroCredits } from '../../shared/money.ts';
import { DEFAULT_PACKAGES, type CreditPackage } from '../../shared/packages.ts';

/** Credits as the operator writes them: 25, "25" or "2.5" (at most 6 decimals, i.e. whole µcr). */
const creditAmount = z.union([z.number(), z.string()]).transform((value, ctx): MicroCredits => {
  try {
    const micro = credits(value);
    if (micro >= 0n) return micro;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'credits: a number ≥ 0 with at most 6 decimals' });
  return z.NEVER;
});

/** A price in the currency's main unit with at most 2 decimals (25, "9.99"), kept in subunits. */
const price = z.union([z.number(), z.string()]).transform((value, ctx): number => {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(String(value).trim());
  const cents = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : 0;
  if (cents > 0) return cents;
  ctx.addIssue({ code: 'custom', message: 'price: a positive amount with at most 2 decimals, e.g. 25 or "9.99"' });
  return z.NEVER;
});

const packageSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'id: lower-case letters, digits, _ and -, at most 40'),
    price,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'currency: a 3-letter ISO 4217 code such as USD')
      .default('USD'),
    credits: creditAmount,
    bonus: creditAmount.default(0n),
    popular: z.boolean().default(false),
  })
  .strict();

const packagesSchema = z.array(packageSchema).min(1, 'at least one package');

function checkPackages(packages: readonly CreditPackage[]): void {
  const seen = new Set<string>();
  const prices = new Set<number>();
  for (const p of packages) {
    if (seen.has(p.id)) throw new Error(`package ${p.id} is listed twice`);
    seen.add(p.id);
    // A purchase may name its package by price (the seed's {amount: 25}): one package per price.
    if (prices.has(p.priceCents)) throw new Error(`package ${p.id}: another package has the same price`);
    prices.add(p.priceCents);
    if (p.credits + p.bonus === 0n) throw new Error(`package ${p.id}: gives no credits`);
  }
  if (packages.filter((p) => p.popular).length > 1) throw new Error('at most one package is "popular"');
}

/** Parses the operator's packages: a JSON array, or `{ "packages": [...] }`. */
export function parsePackages(text: string): CreditPackage[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`, { cause: error });
  }
  // `{ "packages": [...] }` or the bare array; issues name the path inside the list.
  const wrapped = typeof json === 'object' && json !== null && !Array.isArray(json);
  const parsed = packagesSchema.safeParse(wrapped ? (json as { packages?: unknown }).packages : json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'packages'}: ${issue?.message ?? 'invalid'}`);
  }
  const packages = parsed.data.map((p) => ({
    id: p.id,
    priceCents: p.price,
    currency: p.currency,
    credits: p.credits,
    bonus: p.bonus,
    popular: p.popular,
  }));
  checkPackages(packages);
  return packages;
}

/**
 * The packages on sale: ATLANTIC_PACKAGES (JSON) or the file ATLANTIC_PACKAGES_FILE
 * names, else the built-in ones. Anything invalid stops start-up, naming the source.
 */
export function loadPackages(env: { ATLANTIC_PACKAGES?: string; ATLANTIC_PACKAGES_FILE?: string }): CreditPackage[] {
  const { ATLANTIC_PACKAGES: inline, ATLANTIC_PACKAGES_FILE: file } = env;
  if (inline && file) throw new Error('set ATLANTIC_PACKAGES or ATLANTIC_PACKAGES_FILE, not both');
  const source = inline ? 'ATLANTIC_PACKAGES' : `ATLANTIC_PACKAGES_FILE ${file ?? ''}`;
  try {
    if (inline) return parsePackages(inline);
    if (file) return parsePackages(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`invalid packages in ${source}: ${(error as Error).message}`, { cause: error });
  }
  return [...DEFAULT_PACKAGES];
}
