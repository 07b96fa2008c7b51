// What craft builds is pluggable like the dissectors: each message family
// (RFC 6275, LKE, cookies, CBU, …) is a module in craft/messages/ that registers
// its message names and option kinds here; build.ts only assembles IPv6 around them.
import type { Host, PacketSpec, Scenario } from './scenario.js';

export interface CraftContext {
  sc: Scenario;
  p: PacketSpec;
  /** where errors point, e.g. packets[3] */
  w: string;
  from: Host;
  to: Host;
  notes: string[];
  /** per-scenario state shared across packets, one entry per module (bindings, keys, cookies) */
  state: Map<string, any>;
}

/** The upper layer a message module produced, with its addressing. */
export interface CraftedLayer {
  /** IPv6 next header of the upper layer: 135 (MH), 58 (ICMPv6), … */
  nxt: number;
  /** the upper-layer bytes, checksum field zero */
  payload: Buffer;
  /** offset of the 16-bit checksum inside payload (MH 4, ICMPv6 2), or -1 for none */
  checksumAt: number;
  src: Buffer;
  dst: Buffer;
  hao?: Buffer | null;
  rh2?: Buffer | null;
  hlim?: number;
  /**
   * Called once the IPv6 packet is assembled (packet options like src/hao applied),
   * checksum still zero: fill in MACs that cover addresses or the whole packet.
   * `ulOff` is where the payload starts in `ip`; write into `ip` (payload is a copy).
   */
  finish?(ip: Buffer, ulOff: number, addr: { src: Buffer; dst: Buffer; hao: Buffer | null; rh2: Buffer | null }): void;
}

export interface CraftMessage {
  /** names as written in scenarios (case-insensitive) */
  names: string[];
  build(ctx: CraftContext): CraftedLayer;
}

const messages = new Map<string, CraftMessage>();

export function registerCraftMessage(m: CraftMessage): void {
  for (const n of m.names) messages.set(n.toLowerCase(), m);
}

export function craftMessage(name: string): CraftMessage | undefined {
  return messages.get(name.toLowerCase());
}

export function craftMessageNames(): string[] {
  return [...new Set([...messages.values()].map((m) => m.names[0]!))];
}

/**
 * Work a module does once per scenario before any packet is built, where it must
 * be asynchronous (CBU issues certificates with WebCrypto) or should fail early.
 */
export type CraftPrepare = (sc: Scenario, state: Map<string, any>) => Promise<void>;

const prepares: CraftPrepare[] = [];

export function registerCraftPrepare(p: CraftPrepare): void {
  prepares.push(p);
}

export function craftPrepares(): readonly CraftPrepare[] {
  return prepares;
}

/** Module state, created on first use. */
export function moduleState<T>(ctx: CraftContext, key: string, make: () => T): T {
  let s = ctx.state.get(key);
  if (s === undefined) ctx.state.set(key, (s = make()));
  return s as T;
}

/** What an option builder knows of its packet: the addressing as RFC 6275 resolved it. */
export interface OptionContext {
  ctx: CraftContext;
  /** MH type of the message carrying the option */
  mhType: number;
  src: Buffer;
  dst: Buffer;
  hoa: Buffer;
  /** the correspondent's (or home agent's) address */
  cn: Buffer;
  /** the mobile node's care-of address as this packet states it (source, or RH2 destination) */
  coa: Buffer;
}

export interface BuiltOptionSpec {
  type: number;
  body: Buffer;
  /** alignment xn+y as RFC 6275 6.2 writes it */
  align?: [number, number];
}

export interface CraftOption {
  names: string[];
  build(o: Record<string, unknown>, where: string, octx: OptionContext): BuiltOptionSpec;
}

const options = new Map<string, CraftOption>();

export function registerCraftOption(o: CraftOption): void {
  for (const n of o.names) options.set(n.toLowerCase(), o);
}

export function craftOption(name: string): CraftOption | undefined {
  return options.get(name.toLowerCase());
}

export function craftOptionNames(): string[] {
  return [...new Set([...options.values()].map((o) => o.names[0]!))];
}

/**
 * Where the Binding Authorization Data of a BU/BA gets its Kbm. RFC 6275's RR and
 * the static Kcn are in messages/rfc6275.ts; other modules (LKE's BU to the
 * previous AR) add theirs. The first provider that answers wins.
 */
export interface BindingKey {
  kbm: Buffer;
  /** the two addresses before MH Data: RFC 6275 CoA | CN, LKE src | dst */
  prefix: Buffer;
  note: string;
}
export type BindingKeyProvider = (octx: OptionContext, opt: Record<string, unknown>, where: string) => BindingKey | null;

const keyProviders: BindingKeyProvider[] = [];

export function registerBindingKeyProvider(p: BindingKeyProvider, first = false): void {
  if (first) keyProviders.unshift(p);
  else keyProviders.push(p);
}

export function bindingKeyProviders(): readonly BindingKeyProvider[] {
  return keyProviders;
}
