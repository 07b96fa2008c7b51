// Live capture with the optional `cap` package, loaded only for -i / -D.
// (Placeholder until the live-capture module lands.)
import type { Out } from '../output/writer.js';
import type { PacketFilter } from '../filter/api.js';
import type { Tap } from '../output/taps.js';
import type { DissectArgs } from '../cli/dissect.js';
import { UsageError } from '../cli/errors.js';

export interface LiveContext {
  out: Out;
  filter: PacketFilter | null;
  taps: Tap[];
  keyring: unknown;
}

export async function runLive(_a: DissectArgs, _ctx: LiveContext): Promise<number> {
  throw new UsageError('live capture is not implemented yet');
}
