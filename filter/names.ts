// What a name in a filter refers to: a registered field or protocol (core/fields.ts),
// a protocol layer (pinfo.layers / dissector handle), Wireshark's expert pseudo-fields
// (_ws.expert, _ws.expert.message, .severity, .group, _ws.malformed), our _ws.expert.id,
// one existence field per expert id (seq.replay, mh.malformed, verify.authenticator, ...),
// and verdict.<name> (pinfo.data.verify: "ok" | "fail" | "unverifiable" | "not checked").
import { getField, type Field } from '../core/fields.js';
import { getHandle } from '../core/tables.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { SEVERITY_CODE, GROUP_CODE } from '../core/expert.js';
import { kindOf, itemVal, itemBytes, type Kind, type Val } from './values.js';

export interface Ref {
  name: string;
  kind: Kind;
  field: Field | null;
  /** all values in the packet, in tree order */
  values(p: PacketInfo): Val[];
  /** the octets behind each occurrence (slices, len()) */
  bytes(p: PacketInfo): Uint8Array[];
  /** value strings for literal names (severity "error") */
  names?: Record<string, number>;
  /** values come from pinfo alone (layers, expert items): works without a tree */
  treeFree?: boolean;
}

/** Expert items; without a tree, packet comments (added with the tree) come from the capture. */
function expertsOf(p: PacketInfo): PacketInfo['expert'] {
  const cm = p.raw.comments;
  if (p.tree || !cm?.length || p.expert.some((e) => e.severity === 'comment')) return p.expert;
  return [...cm.map((m) => ({ severity: 'comment' as const, id: 'frame.comment.expert', message: m, group: 'comment' })), ...p.expert];
}

/** Protocol present, from the layer list (frame: always; pkt_comment: the capture's comments). */
function hasLayer(p: PacketInfo, name: string): boolean {
  return name === 'frame' || (name === 'pkt_comment' ? !!p.raw.comments?.length : p.layers.includes(name));
}

// ---- per-packet index: items by abbrev, built once per packet on first use, for
// the names some compiled filter uses (so a filter on two fields indexes two fields)
const INDEX = new WeakMap<PacketInfo, { n: number; m: Map<string, Item[]> }>();
const WANTED = new Set<string>();

function collect(it: Item, m: Map<string, Item[]>): void {
  const a = it.field?.abbrev;
  if (a !== undefined && WANTED.has(a)) {
    const l = m.get(a);
    if (l) l.push(it);
    else m.set(a, [it]);
  }
  const ch = it.children;
  if (ch) for (let i = 0; i < ch.length; i++) collect(ch[i]!, m);
}

/** Items of the packet by field abbrev (only names a compiled filter referenced). */
export function itemIndex(p: PacketInfo): Map<string, Item[]> {
  const c = INDEX.get(p);
  // rebuilt if a filter compiled since wants more names
  if (c && c.n === WANTED.size) return c.m;
  const m = new Map<string, Item[]>();
  if (p.tree && WANTED.size) collect(p.tree, m);
  INDEX.set(p, { n: WANTED.size, m });
  return m;
}

// ---- expert ids usable as existence fields: the spec's (§8) and those the
// dissectors raise today; modules may add theirs with registerExpertId. A name is
// never guessed from a prefix, so a typo stays an error.
const EXPERT_IDS = new Set<string>([
  'malformed', 'frame.truncated', 'dissector.bug', 'analysis.bug', 'frame.comment.expert',
  'keyring.kcn_short', 'keyring.kcn_duplicate', 'rr.kbm_from_tokens', 'rr.nonce_indices_ignored',
  'seq.replay', 'seq.wrapped', 'lke.not_link_local', 'lke.lifetime_above_max', 'lke.capability_without_h',
  'lke.rate_limit', 'lke.dad_reply_missing', 'lke.capability_key', 'lke.capability_padding', 'lke.ked_length', 'lke.nd_malformed',
  'cookie.altcoa_untested', 'ipsec.bu_h_or_k', 'ipsec.rr_options',
  'ipsec.foreign_altcoa', 'ipsec.no_altcoa', 'ipsec.ba_k', 'hao.unverified', 'cbu.no_trust_anchor', 'cbu.missing_bc',
  'cbu.bad_certificate', 'cbu.dh_group_unknown', 'cbu.dh_length', 'cbu.key_outside_sealed', 'cbu.unknown_field', 'cbu.unknown_type',
  'mh.malformed', 'mh.unknown_option', 'mh.option_alignment', 'mip6.checksum_bad', 'esp.decrypt_error',
  'icmpv6.checksum_bad', 'icmpv6.invalid_option_length', 'icmpv6.undecoded.option', 'udp.checksum.bad', 'udp.checksum.zero', 'udp.length.bad',
  'ipv6.plen_exceeds_framing', 'ipv6.bogus_ipv6_version', 'ipv6.invalid_header', 'ipv6.opt.invalid_len', 'ipv6.routing.invalid_length',
  'ipv6.routing.invalid_segleft', 'ipv6.routing.deprecated', 'ipv6.hopopts.not_first',
]);
/** verification names (spec §8): a failed one is the expert id verify.<name> */
export const VERIFY_NAMES = [
  'mh_checksum', 'icmpv6_checksum', 'authenticator', 'home_keygen_token', 'care_of_keygen_token', 'ker_decrypt', 'kea_hmac',
  'dad_request_hmac', 'dad_reply_hmac', 'finished_nonce', 'cookie_mac', 'cookie_echo', 'cookie_coa', 'esp_icv', 'sealed_decrypt',
  'sig_ha', 'sig_cn', 'sig_mn', 'cert_chain', 'cert_validity', 'hoa_in_prefix', 'cn_hoa_in_prefix', 'cookies', 'mac',
  'session_keys_from_dh', 'session_keys_match', 'rep_n0_matches_req', 'k_ha_next_derivation', 'k_en_new_derivation',
];
for (const v of VERIFY_NAMES) EXPERT_IDS.add('verify.' + v);

/** Let a module declare the expert ids it raises, so filters accept them by name. */
export function registerExpertId(id: string): void {
  EXPERT_IDS.add(id);
}

export function isExpertId(name: string): boolean {
  return EXPERT_IDS.has(name);
}

const SEVERITY_NAMES: Record<string, number> = { ...SEVERITY_CODE, comment: 1048576 };
const GROUP_NAMES: Record<string, number> = { ...GROUP_CODE };

const noBytes = (): Uint8Array[] => [];

function fieldRef(f: Field): Ref {
  const kind = kindOf(f.type);
  const name = f.abbrev;
  WANTED.add(name);
  const alsoExpert = isExpertId(name);
  return {
    name, kind, field: f, treeFree: kind === 'proto',
    values(p) {
      const items = itemIndex(p).get(name);
      const out: Val[] = [];
      if (items) for (const it of items) out.push(itemVal(f, kind, it, p.raw.data));
      if (kind === 'proto' && out.length === 0 && !p.tree && hasLayer(p, name)) out.push(p.raw.data.subarray(0, 0));
      if (kind === 'proto' && out.length === 0 && p.layers.includes(name)) out.push(p.raw.data.subarray(0, 0));
      if (alsoExpert) for (const e of expertsOf(p)) if (e.id === name) out.push(kind === 'str' ? e.message : Buffer.from(e.message));
      return out;
    },
    bytes(p) {
      const items = itemIndex(p).get(name);
      return items ? items.map((it) => itemBytes(it, p.raw.data, kind)) : [];
    },
  };
}

function expertRef(name: string, kind: Kind, pick: (e: PacketInfo['expert'][number]) => Val, names?: Record<string, number>): Ref {
  return {
    name, kind, field: null, names, treeFree: true,
    values(p) {
      return expertsOf(p).map(pick);
    },
    bytes: noBytes,
  };
}

/** Resolve a filter name; null when it is neither a field nor a protocol name. */
export function resolveName(name: string): Ref | null {
  // _ws.malformed is also a tree item (core/tables.ts), but the tree-free test below
  // also sees malformed packets of summary-only runs
  const f = name === '_ws.malformed' ? undefined : getField(name);
  if (f) return fieldRef(f);
  switch (name) {
    case '_ws.expert':
      return expertRef(name, 'proto', () => new Uint8Array(0));
    case '_ws.expert.message':
      return expertRef(name, 'str', (e) => e.message);
    case '_ws.expert.id':
      return expertRef(name, 'str', (e) => e.id);
    case '_ws.expert.severity':
      return expertRef(name, 'num', (e) => SEVERITY_CODE[e.severity], SEVERITY_NAMES);
    case '_ws.expert.group':
      return expertRef(name, 'num', (e) => GROUP_CODE[e.group ?? 'protocol'] ?? GROUP_CODE.protocol!, GROUP_NAMES);
    case '_ws.malformed':
      return {
        name, kind: 'proto', field: null, treeFree: true,
        values: (p) => (p.malformed || p.expert.some((e) => e.group === 'malformed' && e.severity === 'error') ? [new Uint8Array(0)] : []),
        bytes: noBytes,
      };
    case 'verdict':
      return {
        name, kind: 'str', field: null, treeFree: true,
        values: (p) => Object.values((p.data.verify as Record<string, string> | undefined) ?? {}),
        bytes: noBytes,
      };
  }
  if (name.startsWith('verdict.') && VERIFY_NAMES.includes(name.slice(8))) {
    const key = name.slice(8);
    return {
      name, kind: 'str', field: null, treeFree: true,
      values: (p) => {
        const v = (p.data.verify as Record<string, string> | undefined)?.[key];
        return v === undefined ? [] : [v];
      },
      bytes: noBytes,
    };
  }
  if (isExpertId(name)) {
    return {
      name, kind: 'str', field: null, treeFree: true,
      values: (p) => expertsOf(p).filter((e) => e.id === name).map((e) => e.message),
      bytes: noBytes,
    };
  }
  // a protocol known only as a dissector / layer name (e.g. "ethertype")
  if (getHandle(name) || LAYER_ONLY.has(name)) {
    return {
      name, kind: 'proto', field: null, treeFree: true,
      values: (p) => (p.layers.includes(name) ? [p.raw.data.subarray(0, 0)] : []),
      bytes: noBytes,
    };
  }
  return null;
}

const LAYER_ONLY = new Set(['ethertype', 'ipv6.dstopts', 'ipv6.routing', 'ipv6.hopopts', 'ipv6.fraghdr', 'data']);
