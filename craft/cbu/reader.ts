// Reading a CBU packet's "fields" object: every value a message computes can be
// given here instead (broken on purpose or just fixed), each error names its place,
// and a member the message does not read is reported (a typo must not pass silently).
import type { Host } from '../scenario.js';
import { ScenarioError } from '../scenario.js';
import { hex, num, ipv6 } from '../values.js';
import type { CraftContext } from '../registry.js';

/** Members every CBU message understands (layout and breakage knobs, not field values). */
const COMMON = ['omit', 'extra', 'list', 'flags', 'break', 'comment'];

export class FieldReader {
  readonly f: Record<string, unknown>;
  readonly w: string;

  /** `reads`: the members this message takes values from */
  constructor(private ctx: CraftContext, private reads: string[]) {
    this.f = ctx.p.fields;
    this.w = `${ctx.w}.fields`;
  }

  has(name: string): boolean {
    return this.f[name] !== undefined;
  }

  raw(name: string): unknown {
    return this.f[name];
  }

  /** An address: IPv6 text, or a host name (its addr, else its home address). */
  addr(name: string, def: () => Buffer): Buffer {
    if (!this.has(name)) return def();
    const v = this.f[name];
    const h: Host | undefined = typeof v === 'string' ? this.ctx.sc.hosts.get(v) : undefined;
    return h ? (h.addr ?? h.hoa!) : ipv6(v, `${this.w}.${name}`);
  }

  octets(name: string, len: number | undefined, def: () => Buffer): Buffer {
    return this.has(name) ? hex(this.f[name], `${this.w}.${name}`, len) : def();
  }

  u16(name: string, def: () => number): number {
    return this.has(name) ? num(this.f[name], `${this.w}.${name}`, 0xffff) : def();
  }

  u8(name: string, def: () => number): number {
    return this.has(name) ? num(this.f[name], `${this.w}.${name}`, 255) : def();
  }

  /** "break": ["mac", "signature", "sealed"]: the computed value with its last octet changed. */
  breaks(what: string): boolean {
    const b = this.f.break;
    if (b === undefined) return false;
    const list = typeof b === 'string' ? [b] : b;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new ScenarioError(`${this.w}.break: a name or a list of names (mac, signature, sealed)`);
    for (const x of list) if (!['mac', 'signature', 'sealed'].includes(x.toLowerCase())) throw new ScenarioError(`${this.w}.break: "${x}" is not one of mac, signature, sealed`);
    return list.some((x) => x.toLowerCase() === what);
  }

  /** Before building: a member this message does not read is a mistake in the scenario (a typo must not pass). */
  checkMembers(msg: string): void {
    this.breaks('');
    for (const k of Object.keys(this.f)) {
      if (!this.reads.includes(k) && !COMMON.includes(k)) {
        throw new ScenarioError(`${this.w}.${k}: not a member CBU ${msg} reads (${[...this.reads, ...COMMON].join(', ')})`);
      }
    }
  }
}

/** The last octet changed: a value that must no longer verify. */
export const flip = (b: Buffer) => {
  const c = Buffer.from(b);
  if (c.length) c[c.length - 1]! ^= 0x5a;
  return c;
};
