// How a verifier reports (spec §8): a verdict per verification name in
// `pinfo.data.verify`, a generated `mip6.verify.<name>` field under the message's
// item, and, when it fails, an error expert `verify.<name>` and a mark in Info
// (" [authenticator: fail]"), so the summary line shows it as tshark shows expert info.
// Every verifier (this area's and the LKE/cookie/CBU/ESP ones) goes through here.
import { fieldMaker } from '../core/fields.js';
/** §8 verification names (stable, for scripts and CI). */
export const VERIFY_NAMES = {
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
const fields = new Map();
for (const [n, label] of Object.entries(VERIFY_NAMES))
    fields.set(n, F(`mip6.verify.${n}`, `Verification: ${label}`, 'string'));
function verdictField(name) {
    let f = fields.get(name);
    if (!f)
        fields.set(name, (f = F(`mip6.verify.${name}`, `Verification: ${name}`, 'string')));
    return f;
}
// two verifiers of one name on one frame: a definite answer beats a missing key (LKE's
// Kbm decides an authenticator the RR verifier could not), a failure beats all
const RANK = { 'not checked': 0, unverifiable: 1, ok: 2, fail: 3 };
/** Verdicts of one frame (name -> worst verdict seen for it). */
export function verdictsOf(pinfo) {
    return (pinfo.data.verify ??= Object.create(null));
}
/** Record one verification's result on a frame. */
export function recordVerdict(pinfo, name, v, o = {}) {
    const all = verdictsOf(pinfo);
    const old = all[name];
    if (!old || RANK[v] > RANK[old])
        all[name] = v;
    if (o.item)
        o.item.addGenerated(verdictField(name), v);
    if (v === 'fail') {
        const msg = o.message ? o.message() : `${VERIFY_NAMES[name] ?? name}: verification failed`;
        pinfo.addExpert('error', `verify.${name}`, msg, o.item ?? null, o.group ?? 'security');
        pinfo.appendInfo(` [${name}: fail]`);
    }
}
/** An analysis finding (seq.replay, rr.kbm_from_tokens, ...): expert item plus an Info mark. */
export function recordFinding(pinfo, severity, id, message, item, group = 'security') {
    pinfo.addExpert(severity, id, message, item ?? null, group);
    pinfo.appendInfo(` [${id}]`);
}
