// A craft scenario: hosts, then packets in time order. JSON, validated whole before
// anything is built; every error names its place (packets[3].fields.seq).
import { parseIPv6 } from '../core/addr.js';
import { validateKeyring, KeyringError } from '../keyring/validate.js';

export interface Host {
  /** a correspondent's or home agent's single address */
  addr?: Buffer;
  /** a mobile node's home address and current care-of address */
  hoa?: Buffer;
  coa?: Buffer;
  /** link-local address (fe80::/10): LKE and Neighbor Discovery speak from it */
  ll?: Buffer;
  mac: Buffer;
}

export interface OptionSpec {
  type: string;
  [k: string]: unknown;
}

export interface PacketSpec {
  /** seconds after the scenario start */
  t: number;
  msg: string;
  from: string;
  to: string;
  fields: Record<string, unknown>;
  options: OptionSpec[];
  /** explicit addressing overrides */
  src?: Buffer;
  dst?: Buffer;
  hao?: Buffer | null;
  rh2?: Buffer | null;
  /** tunnel through this host (IPv6-in-IPv6), e.g. HoTI/HoT via the HA */
  via?: string;
  override: Record<string, unknown>;
  hlim: number;
  /** the scenario gave `hlim` (else a message may choose its own default, e.g. 255 for ND and LKE) */
  hlimSet?: boolean;
}

export interface Scenario {
  linktype: 1 | 101;
  start: number;
  hosts: Map<string, Host>;
  packets: PacketSpec[];
  keyring: any;
  /** the scenario document as given: modules read their own top-level sections (e.g. CBU "identities") */
  doc?: any;
  /** the scenario's directory: files it names (keys, certificates) are relative to it */
  dir?: string;
}

export class ScenarioError extends Error {}

function addr(v: unknown, where: string): Buffer {
  if (typeof v !== 'string') throw new ScenarioError(`${where}: an IPv6 address string is required`);
  const b = parseIPv6(v);
  if (!b) throw new ScenarioError(`${where}: "${v}" is not an IPv6 address`);
  return b;
}

function mac(v: unknown, where: string, n: number): Buffer {
  if (v === undefined) return Buffer.from([0x02, 0, 0, 0, 0, n & 0xff]);
  if (typeof v !== 'string' || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(v)) throw new ScenarioError(`${where}: a MAC address like 02:00:00:00:00:01 is required`);
  return Buffer.from(v.replace(/:/g, ''), 'hex');
}

export function parseScenario(doc: any, keyring: any, dir?: string): Scenario {
  if (!doc || typeof doc !== 'object') throw new ScenarioError('the scenario must be a JSON object');
  const linktype = doc.linktype ?? 1;
  if (linktype !== 1 && linktype !== 101) throw new ScenarioError('linktype: 1 (Ethernet) or 101 (raw IPv6)');
  const start = doc.start === undefined ? 1704067200 : Date.parse(doc.start) / 1000;
  if (!Number.isFinite(start)) throw new ScenarioError(`start: "${doc.start}" is not a date`);
  const hosts = new Map<string, Host>();
  if (!doc.hosts || typeof doc.hosts !== 'object') throw new ScenarioError('hosts: an object of named hosts is required');
  let n = 1;
  for (const [name, h] of Object.entries<any>(doc.hosts)) {
    const w = `hosts.${name}`;
    const host: Host = { mac: mac(h?.mac, `${w}.mac`, n++) };
    if (h?.addr !== undefined) host.addr = addr(h.addr, `${w}.addr`);
    if (h?.hoa !== undefined) host.hoa = addr(h.hoa, `${w}.hoa`);
    if (h?.coa !== undefined) host.coa = addr(h.coa, `${w}.coa`);
    if (h?.ll !== undefined) {
      host.ll = addr(h.ll, `${w}.ll`);
      if (host.ll[0] !== 0xfe || (host.ll[1]! & 0xc0) !== 0x80) throw new ScenarioError(`${w}.ll: "${h.ll}" is not a link-local address (fe80::/10)`);
    }
    if (!host.addr && !(host.hoa && host.coa)) throw new ScenarioError(`${w}: needs "addr", or "hoa" and "coa" (a mobile node)`);
    hosts.set(name, host);
  }
  if (!Array.isArray(doc.packets) || doc.packets.length === 0) throw new ScenarioError('packets: a non-empty array is required');
  const packets: PacketSpec[] = doc.packets.map((p: any, i: number) => {
    const w = `packets[${i}]`;
    if (!p || typeof p !== 'object') throw new ScenarioError(`${w}: an object is required`);
    for (const k of ['from', 'to']) if (!hosts.has(p[k])) throw new ScenarioError(`${w}.${k}: unknown host "${p[k]}"`);
    if (p.via !== undefined && !hosts.has(p.via)) throw new ScenarioError(`${w}.via: unknown host "${p.via}"`);
    if (typeof p.msg !== 'string') throw new ScenarioError(`${w}.msg: a message name is required (mip6scope craft --list names them)`);
    const t = p.t ?? i * 0.01;
    if (typeof t !== 'number' || t < 0) throw new ScenarioError(`${w}.t: seconds after start`);
    if (p.hlim !== undefined && !(Number.isInteger(p.hlim) && p.hlim >= 0 && p.hlim <= 255)) throw new ScenarioError(`${w}.hlim: a whole number from 0 to 255`);
    const isObj = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
    for (const k of ['fields', 'override']) if (p[k] !== undefined && !isObj(p[k])) throw new ScenarioError(`${w}.${k}: an object is required`);
    if (p.options !== undefined && (!Array.isArray(p.options) || !p.options.every(isObj))) throw new ScenarioError(`${w}.options: an array of objects like {"type": "pad1"} is required`);
    const opt = (k: string) => (p[k] === undefined ? undefined : p[k] === null ? null : addr(p[k], `${w}.${k}`));
    return {
      t, msg: p.msg, from: p.from, to: p.to, fields: p.fields ?? {}, options: p.options ?? [],
      src: opt('src') ?? undefined, dst: opt('dst') ?? undefined, hao: opt('hao'), rh2: opt('rh2'),
      via: p.via, override: p.override ?? {}, hlim: p.hlim ?? 64, hlimSet: p.hlim !== undefined,
    };
  });
  const kr = keyring ?? doc.keyring ?? {};
  // the keyring is checked whole first, as verify does (spec §6): a wrong type or size is one line
  if (typeof kr === 'string') throw new ScenarioError('keyring: a file name is resolved by the craft command; give the keyring object here');
  try {
    validateKeyring(kr);
  } catch (e) {
    if (e instanceof KeyringError) throw new ScenarioError(`keyring: ${e.message}`);
    throw e;
  }
  return { linktype, start, hosts, packets, keyring: kr, doc, dir };
}
