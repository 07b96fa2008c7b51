// What one crafted CBU packet leaves for the next ones (spec §5): per exchange
// (mobile node, correspondent) the cookies, nonces, DH values, the EXCH0 as sent
// and the keys derived; per mobile node the last REQ / REQ_KEY (N0, N0', its HA);
// k_HA-next from the REP; N3 from ALIVE. Keyed by host names of the scenario.
import { ScenarioError } from '../scenario.js';
import { moduleState, type CraftContext } from '../registry.js';
import { ipv6ToString } from '../../core/addr.js';
import { cbuKeyring } from './keys.js';

export interface SessionKeys {
  kBU: Buffer;
  kBA: Buffer;
  kEN: Buffer;
  /** only when derived from a DH exchange crafted here (k_EN-new needs it) */
  kMaster?: Buffer;
}

export interface Session {
  mn: string;
  cn: string;
  hoa: Buffer;
  /** the correspondent as EXCH0 names it (CN_HoA for a mobile CN) */
  cnAddr: Buffer;
  c0?: Buffer;
  c1?: Buffer;
  n1?: Buffer;
  n2?: Buffer;
  group?: number;
  /** the MN's private DH value, when the DH field sent is its public value */
  x?: Buffer;
  gx?: Buffer;
  y?: Buffer;
  gy?: Buffer;
  /** the EXCH0 as assembled (override.bytes included): SIG_CN covers it */
  ex0?: { ip: Buffer; off: number; len: number };
  keys?: SessionKeys;
  keysFrom?: string;
  seq?: number;
  ltBu?: number;
  ltEn?: number;
  n1p?: Buffer;
  n2p?: Buffer;
  ltEnNew?: number;
}

export interface CbuState {
  sessions: Map<string, Session>;
  /** sessions in the order they were last used */
  order: Session[];
  req: Map<string, { n0: Buffer; ha: string }>;
  reqKey: Map<string, { n0: Buffer; ha: string }>;
  /** k_HA-next by home address (hex), from the REP */
  kHaNext: Map<string, Buffer>;
  /** N3 by the host that sent ALIVE */
  n3: Map<string, Buffer>;
}

export const cbuState = (ctx: CraftContext) => moduleState<CbuState>(ctx, 'cbu.state', () => ({
  sessions: new Map(), order: [], req: new Map(), reqKey: new Map(), kHaNext: new Map(), n3: new Map(),
}));

/** The exchange between mobile node `mn` and correspondent `cn` (host names). */
export function session(ctx: CraftContext, mn: string, cn: string): Session {
  const st = cbuState(ctx);
  const k = `${mn}\u0000${cn}`;
  let s = st.sessions.get(k);
  if (!s) {
    const m = ctx.sc.hosts.get(mn)!;
    const c = ctx.sc.hosts.get(cn)!;
    s = { mn, cn, hoa: m.hoa ?? m.addr!, cnAddr: c.addr ?? c.hoa! };
    st.sessions.set(k, s);
  }
  st.order = [...st.order.filter((x) => x !== s), s];
  return s;
}

/** The latest exchange whose correspondent is host `cn` (KEYS to a mobile CN). */
export function sessionOfCn(ctx: CraftContext, cn: string): Session | undefined {
  return [...cbuState(ctx).order].reverse().find((s) => s.cn === cn);
}

/** Session keys: derived from the exchange crafted here, else the keyring's cbu.sessionKeys. */
export function keysOf(ctx: CraftContext, s: Session, what: string): SessionKeys {
  if (s.keys) return s.keys;
  const e = cbuKeyring(ctx).sessionKeys.find((k) => k.hoa.equals(s.hoa) && k.cn.equals(s.cnAddr));
  if (e) {
    s.keys = { kBU: e.kBU, kBA: e.kBA, kEN: e.kEN };
    s.keysFrom = `keyring ${e.where}`;
    ctx.notes.push(`session keys from keyring ${e.where}`);
    return s.keys;
  }
  throw new ScenarioError(`${ctx.w}: ${what} needs the session keys of ${ipv6ToString(s.hoa)} and ${ipv6ToString(s.cnAddr)}: craft EXCH0 and EXCH1 first, or list them in keyring cbu.sessionKeys (or give the value in "fields")`);
}

/** k_HA in force for a home address (§7: keyring kHA.current, else z). */
export function kHaCurrent(ctx: CraftContext, hoa: Buffer): Buffer {
  const e = cbuKeyring(ctx).kHA.find((k) => k.hoa.equals(hoa));
  if (!e) throw new ScenarioError(`${ctx.w}: no k_HA to seal with: the keyring needs a cbu.kHA entry for ${ipv6ToString(hoa)} (or give fields.sealedKey or fields.sealed)`);
  return e.current ?? e.z;
}

export function kHaZ(ctx: CraftContext, hoa: Buffer): Buffer {
  const e = cbuKeyring(ctx).kHA.find((k) => k.hoa.equals(hoa));
  if (!e) throw new ScenarioError(`${ctx.w}: k_HA-next = prf(z, N0 | N1) needs a keyring cbu.kHA entry for ${ipv6ToString(hoa)} (or give fields.kHaNext)`);
  return e.z;
}
