import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { CountryView, LocationsResponse } from '../../shared/api/locations.ts';
import type { Targeting } from '../../shared/targeting.ts';
import { DEFAULT_CATALOG } from './default-catalog.ts';
import { catalogOf } from './exit-catalog.ts';
import { isPlaceholder, placeholdersIn, upstreamUrlFor } from './exit-url.ts';
import { exitSchema, type Exit } from './exits.ts';
import { pickExit } from './pick-exit.ts';

/** Where one session's traffic leaves: `upstreamUrl` null means straight from the gateway. */
export interface ExitRoute {
  exitId: string;
  upstreamUrl: string | null;
}

/** The exits an operator configured, what they can serve, and how a session is routed to one. */
export interface ExitSupply {
  exit: LocationsResponse['exit'];
  catalog: readonly CountryView[];
  /** The exit for a session's stored targeting; undefined when none serves it. */
  routeFor(targeting: Targeting, sessionId: string): ExitRoute | undefined;
}

export function exitSupplyOf(exits: readonly Exit[], catalog: readonly CountryView[] = catalogOf(exits)): ExitSupply {
  const direct = exits.every((e) => e.url === 'direct');
  // Only an exit URL carrying {session} can be told to change its identity.
  const can_rotate = exits.some((e) => placeholdersIn(e.url).includes('session'));
  return {
    exit: direct
      ? { kind: 'direct', description: 'Traffic exits from the machine running the gateway.', can_rotate }
      : {
          kind: 'upstream',
          description: "Traffic exits through the operator's proxy supply at the chosen location.",
          can_rotate,
        },
    catalog,
    routeFor(targeting, sessionId) {
      const exit = pickExit(exits, targeting);
      return exit && { exitId: exit.id, upstreamUrl: upstreamUrlFor(exit, targeting, sessionId) };
    },
  };
}

/**
 * The embedded default: one `direct` exit, this machine, offering the default
 * catalog. Traffic leaves from here whatever is picked; the pick sets the rate.
 */
export const THIS_MACHINE: ExitSupply = {
  exit: {
    kind: 'direct',
    description: 'Traffic exits from the machine running the gateway (this computer in embedded mode).',
    can_rotate: false,
  },
  catalog: DEFAULT_CATALOG,
  routeFor: () => ({ exitId: 'this-machine', upstreamUrl: null }),
};

const exitsFileSchema = z.union([z.array(exitSchema), z.object({ exits: z.array(exitSchema) }).strict()]);

function checkExits(exits: readonly Exit[]): void {
  if (exits.length === 0) throw new Error('no exits listed');
  const ids = new Set<string>();
  for (const exit of exits) {
    if (ids.has(exit.id)) throw new Error(`exit ${exit.id} is listed twice`);
    ids.add(exit.id);
    const unknown = placeholdersIn(exit.url).filter((name) => !isPlaceholder(name));
    if (unknown.length > 0) throw new Error(`exit ${exit.id}: unknown placeholder {${unknown[0]}}`);
    if (exit.url !== 'direct') new URL(exit.url.replaceAll(/\{[a-z]+\}/g, 'x')); // throws on a malformed URL
  }
}

/** Parses an exits file's text: an array of exits, or `{ "exits": [...] }`. */
export function parseExits(text: string): Exit[] {
  const parsed = exitsFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'exits'}: ${issue?.message ?? 'invalid'}`);
  }
  const exits = Array.isArray(parsed.data) ? parsed.data : parsed.data.exits;
  checkExits(exits);
  return exits;
}

/** The exits named by ATLANTIC_EXITS_FILE, or this machine when none is set. Stops start-up on a bad file. */
export async function loadExitSupply(file: string | undefined): Promise<ExitSupply> {
  if (!file) return THIS_MACHINE;
  try {
    return exitSupplyOf(parseExits(await readFile(file, 'utf8')));
  } catch (error) {
    throw new Error(`exits file ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
