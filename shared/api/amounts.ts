import { z } from 'zod';
import { toCredits, type MicroCredits } from '../money.ts';

/**
 * Every amount in a response is two fields: `x` in display credits (the seed's
 * number) and `x_micro`, the exact integer of micro-credits to compute with.
 */
export const micro = z.number().int().describe('integer micro-credits (1 credit = 1,000,000)');
export const display = z.number().describe('credits, for display only');

export function amount<K extends string>(name: K, value: MicroCredits): Record<K | `${K}_micro`, number> {
  return { [name]: toCredits(value), [`${name}_micro`]: Number(value) } as Record<K | `${K}_micro`, number>;
}
