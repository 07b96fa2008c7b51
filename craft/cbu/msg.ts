// One CBU message being crafted (spec §5): its addresses by role, the packet's
// "fields" reader, the identities, and the helpers that turn a computed value
// into a field: signatures, MACs, Sealed and DH, each overridable from "fields".
import { ipv6ToString } from '../../core/addr.js';
import { ScenarioError, type Host } from '../scenario.js';
import { hex, num } from '../values.js';
import { moduleState, type CraftContext } from '../registry.js';
import { encodeFields, fieldType, rawFields, type CbuField } from './fields.js';
import { FieldReader, flip } from './reader.js';
import { det, mac96, seal, keyringDh, defaultDhPrivate, dhPublicValue } from './keys.js';
import { signAs, type Identity } from './identities.js';
import { cbuState, session, type Session } from './state.js';

export type Role = 'home' | 'careof';
export type Thunk = () => Buffer;
export interface FieldSpec { type: number; get: Thunk }

/** A memoised value: computed once, on first use (an omitted field is never computed). */
export function lazy(f: Thunk): Thunk & { peek(): Buffer | undefined } {
  let v: Buffer | undefined;
  const g = (() => (v ??= f())) as Thunk & { peek(): Buffer | undefined };
  g.peek = () => v;
  return g;
}

export const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
export const u8 = (n: number) => Buffer.from([n]);
export const A = ipv6ToString;

/** What a message build sees: the context, its fields reader, addresses and helpers. */
export class Msg {
  readonly r: FieldReader;
  readonly src: Buffer;
  readonly dst: Buffer;
  readonly i: number;
  /** capture time of this packet, seconds */
  readonly t: number;
  /** fields actually sent, first of each type (filled after layout) */
  got = new Map<number, Buffer>();
  /** set by a message: record what was sent (`got`) for later packets */
  commit?: () => void;
  finish?: (ip: Buffer, ulOff: number, len: number) => void;

  constructor(readonly ctx: CraftContext, readonly def: MsgDef) {
    this.r = new FieldReader(ctx, def.reads);
    const p = ctx.p;
    this.i = ctx.sc.packets.indexOf(p);
    this.t = ctx.sc.start + p.t;
    this.src = p.src ?? hostAddr(ctx.from, def.roles[0], `${ctx.w}.from`);
    this.dst = p.dst ?? hostAddr(ctx.to, def.roles[1], `${ctx.w}.to`);
  }

  get st() { return cbuState(this.ctx); }
  get w() { return this.r.w; }
  host(name: string): Host { return this.ctx.sc.hosts.get(name)!; }
  /** the scenario's own description of a host (members craft's core does not read, e.g. "identity", "ha", "rcoa") */
  rawHost(name: string): Record<string, unknown> { const h = this.ctx.sc.doc?.hosts?.[name]; return h && typeof h === 'object' ? h : {}; }
  /** a host member naming another host (e.g. a mobile node's "ha") */
  hostRef(name: string, member: string): string | undefined {
    const v = this.rawHost(name)[member];
    return typeof v === 'string' && this.ctx.sc.hosts.has(v) ? v : undefined;
  }
  det(n: number, label: string) { return det(n, label, this.i); }
  /** the (mobile node, correspondent) exchange: `mnIsFrom` says which end sends this message */
  session(mnIsFrom: boolean): Session {
    const { p } = this.ctx;
    return mnIsFrom ? session(this.ctx, p.from, p.to) : session(this.ctx, p.to, p.from);
  }

  // ---- identities (signers and certificates)
  get ids(): Map<string, Identity> { return moduleState(this.ctx, 'cbu.identities', () => new Map<string, Identity>()); }
  hostIdentity(host: string | undefined): Identity | undefined {
    if (!host) return undefined;
    const n = this.rawHost(host).identity;
    return this.ids.get(typeof n === 'string' ? n : host);
  }
  named(member: 'identity' | 'certIdentity'): Identity | undefined {
    if (!this.r.has(member)) return undefined;
    const n = this.r.raw(member);
    const id = typeof n === 'string' ? this.ids.get(n) : undefined;
    if (!id) throw new ScenarioError(`${this.w}.${member}: "${String(n)}" is not one of the scenario's identities (${[...this.ids.keys()].join(', ') || 'none'})`);
    return id;
  }
  /** The signer: fields.identity, else the first candidate found, else an error naming what was looked for. */
  signer(what: string, ...cands: Array<() => Identity | undefined>): Identity {
    const id = this.named('identity') ?? cands.reduce<Identity | undefined>((a, f) => a ?? f(), undefined);
    if (!id) throw new ScenarioError(`${this.w}.identity: no identity for ${what}: add one to "identities" (key, certificate) and name it here or in the host's "identity"`);
    return id;
  }
  certOf(signer: () => Identity): Buffer {
    const id = this.named('certIdentity') ?? signer();
    if (!id.cert) throw new ScenarioError(`${this.w}.certIdentity: identity "${id.name}" has no certificate`);
    return id.cert;
  }
  sign(id: () => Identity, data: () => Buffer): Thunk {
    return () => {
      const s = this.r.octets('signature', undefined, () => signAs(id(), data(), this.w));
      return this.r.breaks('signature') ? flip(s) : s;
    };
  }
  mac(key: () => Buffer, ...parts: Thunk[]): Thunk {
    return () => {
      const m = this.r.octets('mac', undefined, () => mac96(this.ctx, key(), ...parts.map((p) => p())));
      return this.r.breaks('mac') ? flip(m) : m;
    };
  }
  /** Sealed: AES-128-GCM of the plaintext field list under `key` (fields.sealedKey / fields.iv / fields.sealed change it). */
  sealed(key: () => Buffer, plain: FieldSpec[]): Thunk {
    return () => {
      const v = this.r.octets('sealed', undefined, () => {
        const k = this.r.octets('sealedKey', undefined, key);
        if (k.length < 16) throw new ScenarioError(`${this.w}.sealedKey: at least 16 octets`);
        const iv = this.r.octets('iv', 12, () => this.det(12, 'iv'));
        return seal(k, iv, encodeFields(plain.map((f) => ({ type: f.type, value: f.get() }))));
      });
      return this.r.breaks('sealed') ? flip(v) : v;
    };
  }
  /** The DH field (group | value) and the private value behind it, for the end at `addr`. */
  dh(side: 'mn' | 'cn', addr: Buffer, groupDef: () => number) {
    const w = `${this.w}.dh`;
    const d = this.r.raw('dh');
    if (d !== undefined && (!d || typeof d !== 'object' || Array.isArray(d))) throw new ScenarioError(`${w}: an object {"group": 14|19|31, "private": "hex", "public": "hex"}`);
    const o = (d ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['group', 'private', 'public'].includes(k)) throw new ScenarioError(`${w}.${k}: unknown member (group, private, public)`);
    const group = o.group === undefined ? groupDef() : num(o.group, `${w}.group`, 0xffff);
    const priv = lazy(() => {
      if (o.private !== undefined) return hex(o.private, `${w}.private`);
      const k = keyringDh(this.ctx, addr, group);
      if (k) { this.ctx.notes.push(`DH private value from keyring ${k.where}`); return k.value; }
      if (![14, 19, 31].includes(group)) throw new ScenarioError(`${w}.group: ${group} is not 14, 19 or 31: give "public"`);
      return defaultDhPrivate(group, side, this.src, this.dst);
    });
    const pub = lazy(() => (o.public !== undefined ? hex(o.public, `${w}.public`) : dhPublicValue(group, priv(), `${w}.private`)));
    const field = lazy(() => Buffer.concat([u16(group), pub()]));
    return { group, priv, pub, field, ownPrivate: o.public === undefined };
  }
  /** §7 tunnel through the HA: REQ/REQ_KEY through their destination, REP/NEWKEY through the HA of the MN's REQ. */
  tunnel(ha: () => string | undefined): void {
    const p = this.ctx.p;
    const t = this.r.raw('tunnel');
    if (t !== undefined && typeof t !== 'boolean') throw new ScenarioError(`${this.w}.tunnel: true or false`);
    if (p.via !== undefined || t === false) return;
    const h = ha();
    if (!h || !this.ctx.sc.hosts.has(h)) throw new ScenarioError(`${this.ctx.w}.via: name the home agent this ${this.def.name} is tunnelled through (no earlier REQ tells), or set fields.tunnel to false`);
    p.via = h;
  }
}

export function hostAddr(h: Host, role: Role, where: string): Buffer {
  const a = h.addr ?? (role === 'home' ? h.hoa : h.coa);
  if (!a) throw new ScenarioError(`${where}: the host has no ${role === 'home' ? 'home' : 'care-of'} address`);
  return a;
}

export interface MsgDef {
  type: number;
  name: string;
  aliases?: string[];
  roles: [Role, Role];
  reads: string[];
  build(m: Msg): FieldSpec[];
}

export const field = (type: number, get: Thunk): FieldSpec => ({ type, get });

/** A memoised value of any kind (identities). */
export function lazy0<T>(f: () => T): () => T {
  let v: T | undefined;
  let done = false;
  return () => { if (!done) { v = f(); done = true; } return v!; };
}

/** The fields sent: the computed ones minus "omit", plus "extra"; or "list" alone. */
export function layout(m: Msg, specs: FieldSpec[]): CbuField[] {
  const { r } = m;
  if (r.has('list')) return rawFields(r.raw('list'), `${m.w}.list`);
  const om = r.raw('omit');
  if (om !== undefined && !Array.isArray(om)) throw new ScenarioError(`${m.w}.omit: a list of field names, e.g. ["MAC"]`);
  const omit = new Set(((om ?? []) as unknown[]).map((x, k) => fieldType(x, `${m.w}.omit[${k}]`)));
  const out = specs.filter((s) => !omit.has(s.type)).map((s) => ({ type: s.type, value: s.get() }));
  if (r.has('extra')) out.push(...rawFields(r.raw('extra'), `${m.w}.extra`));
  return out;
}
