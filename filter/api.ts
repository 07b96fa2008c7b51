// The display-filter interface the CLI uses (-Y, -R). The compiler lives in this
// folder; a filter tests a dissected packet (with its tree).
import type { PacketInfo } from '../core/packet.js';

/** `needsTree: false` = the filter reads only pinfo (layers, expert items): no tree needed */
export type PacketFilter = ((p: PacketInfo) => boolean) & { needsTree?: boolean };

export class FilterSyntaxError extends Error {
  constructor(message: string, public column: number) {
    super(message);
  }
}
