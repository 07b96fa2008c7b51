// The display-filter interface the CLI uses (-Y, -R). The compiler lives in this
// folder; a filter tests a dissected packet (with its tree).
import type { PacketInfo } from '../core/packet.js';

export type PacketFilter = (p: PacketInfo) => boolean;

export class FilterSyntaxError extends Error {
  constructor(message: string, public column: number) {
    super(message);
  }
}
