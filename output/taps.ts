// Taps: consumers of dissected packets (-z statistics, reports). Each registers
// under its -z prefix (e.g. "mip6,msgs", "io,stat") from its own module in stats/.
import type { PacketInfo } from '../core/packet.js';
import type { Out } from './writer.js';

export interface Tap {
  /** true when the tap reads fields from the tree */
  needsTree?: boolean;
  packet(p: PacketInfo): void;
  /** print the result after the last packet */
  finish(out: Out): void;
}

export interface TapFactory {
  /** "-z" argument prefix, e.g. "mip6,msgs" or "io,stat" */
  prefix: string;
  help: string;
  /** `arg` is the whole -z argument; throw Error with one line for a bad one */
  create(arg: string): Tap;
}

const taps: TapFactory[] = [];

export function registerTap(t: TapFactory): void {
  taps.push(t);
}

export function findTap(arg: string): TapFactory | undefined {
  // longest prefix wins ("mip6,bindings" before "mip6")
  return [...taps].sort((a, b) => b.prefix.length - a.prefix.length).find((t) => arg === t.prefix || arg.startsWith(t.prefix + ','));
}

export function allTaps(): TapFactory[] {
  return [...taps];
}
