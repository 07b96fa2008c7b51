// How a verifier reports (spec §8): a verdict per verification name in
// `pinfo.data.verify`, a generated `mip6.verify.<name>` field under the message's
// item, and, when it fails, an error expert `verify.<name>` and a mark in Info
// (" [authenticator: fail]"), so the summary line shows it as tshark shows expert info.
// Every verifier (this area's and the LKE/cookie/CBU/ESP ones) goes through here.
import { fieldMaker } from '../core/fields.js';
import type { Item } from '../core/tree.js';
import type { PacketInfo } from '../core/packet.js';
import type { Severity } from '../core/expert.js';

export type Verdict = 'ok' | 'fail' | 'unverifiable' | 'not checked';

/** §8 verification names (stable, for scripts and CI). */
export const VERIFY_NAMES: Record<string, string> = {
  mh_checksum: 'MH checksum',
  icmpv6_checksum: 'ICMPv6 checksum',
  authenticator: 'Binding Authorization Data authenticator',
  home_keygen_token: 'Home keygen token',
  care_of_keygen_token: 'Care-of keygen token',
  ker_decrypt: 'Key Exchange Data decryption',
  kea_hmac: 'Key Exchange Ack HMAC',
  dad_request_hmac: 'DAD Authentication Request HMAC',
  dad_reply_hmac: 'DAD Authentication Reply HMAC',
  finished_nonce: 'Finished nonce',
  cookie_mac: 'Cookie MAC',
  cookie_echo: 'Cookie echo',
  cookie_coa: 'Cookie care-of address',
  esp_icv: 'ESP ICV',
  sealed_decrypt: 'Sealed field decryption',
  sig_ha: 'SIG_HA signature',
  sig_cn: 'SIG_CN signature',
  sig_mn: 'SIG_MN signature',
  cert_chain: 'Certificate chain',
  cert_validity: 'Certificate validity',
  hoa_in_prefix: 'Home address inside the certificate prefix',
  cn_hoa_in_prefix: 'CN home address inside the certificate prefix',
  cookies: 'CBU cookies',
  mac: 'CBU MAC',
  session_keys_from_dh: 'Session keys from the DH exchange',
  session_keys_match: 'Session keys match',
  rep_n0_matches_req: 'REP N0 matches REQ',
  k_ha_next_derivation: 'k_HA-next derivation',
  k_en_new_derivation: 'k_EN-new derivation',
};

const F = fieldMaker('mipv6');
const fields = new Map<string, ReturnType<typeof F>>();
for (const [n, label] of Object.entries(VERIFY_NAMES)) fields.set(n, F(`mip6.verify.${n}`, `Verification: ${label}`, 'string'));

function verdictField(name: string) {
  let f = fields.get(name);
  if (!f) fields.set(name, (f = F(`mip6.verify.${name}`, `Verification: ${name}`, 'string')));
  return f;
}

// two verifiers of one name on one frame: a definite answer beats a missing key (LKE's
// Kbm decides an authenticator the RR verifier could not), a failure beats all
const RANK: Record<Verdict, number> = { 'not checked': 0, unverifiable: 1, ok: 2, fail: 3 };

/** Verdicts of one frame (name -> worst verdict seen for it). */
export function verdictsOf(pinfo: PacketInfo): Record<string, Verdict> {
  return (pinfo.data.verify ??= Object.create(null)) as Record<string, Verdict>;
}

export interface VerdictOpts {
  /** where the generated field goes (the message item); null/undefined: no tree */
  item?: Item | null;
  /** the failure's expert message (built only on failure) */
  message?: () => string;
  /** expert group: 'checksum' for checksums, 'security' otherwise */
  group?: string;
}

/** Record one verification's result on a frame. */
export function recordVerdict(pinfo: PacketInfo, name: string, v: Verdict, o: VerdictOpts = {}): void {
  const all = verdictsOf(pinfo);
  const old = all[name];
  if (!old || RANK[v] > RANK[old]) all[name] = v;
  if (o.item) o.item.addGenerated(verdictField(name), v);
  if (v === 'fail') {
    const msg = o.message ? o.message() : `${VERIFY_NAMES[name] ?? name}: verification failed`;
    pinfo.addExpert('error', `verify.${name}`, msg, o.item ?? null, o.group ?? 'security');
    pinfo.appendInfo(` [${name}: fail]`);
  }
}

/** An analysis finding (seq.replay, rr.kbm_from_tokens, ...): expert item plus an Info mark. */
export function recordFinding(pinfo: PacketInfo, severity: Severity, id: string, message: string, item?: Item | null, group = 'security'): void {
  pinfo.addExpert(severity, id, message, item ?? null, group);
  pinfo.appendInfo(` [${id}]`);
}
