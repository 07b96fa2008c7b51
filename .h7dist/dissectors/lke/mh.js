// Local Key Exchange messages (spec §3, seed 004) in the Mobility Header:
// MH 8 Key Exchange Request, 9 Key Exchange Ack, 10 Finished (profile `lke`, the
// default; `-o mip6.profile:fmipv6` gives the types back to RFC 5568), their
// options 3/4/5 under context keys ('8/3', '9/4', '9/5', '10/5'), and option 6 of
// length 6 in a BA = Finished Request ('6/6').
import { layoutMaker, decodeLayout } from '../../core/layout.js';
import { registerDissector, table } from '../../core/tables.js';
import { pref, onPrefsApplied } from '../../core/prefs.js';
import { ipv6ToString, bytesToHex } from '../../core/addr.js';
import { registerMessage, walkOptions } from '../mip6/mh.js';
import { MH_TYPE_NAMES, fourSeconds } from '../mip6/names.js';
import { extOption } from '../ext_option.js';
const L = layoutMaker('mipv6');
export const LKE_NAMES = { 8: 'Key Exchange Request', 9: 'Key Exchange Ack', 10: 'Finished' };
/** Allowed Key Exchange Data sizes: RSA modulus lengths (spec §3). */
export const KED_SIZES = [128, 256, 384, 512];
// ---- Key Exchange Request (MH 8) ----
const hfSeq = L.u16('mip6.lke.seq', 'Sequence Number');
const KER_FIXED = [hfSeq];
const hfKed = L.bytes('mip6.lke.ked', 'Key Exchange Data', 0).f;
const hfKedLen = L.F('mip6.lke.ked_len', 'Key Exchange Data Length', 'uint16', { unit: ' octets' });
let kerResolver = null;
export function setKerKeyLengthResolver(fn) {
    kerResolver = fn;
}
/** True when [s, e) of buf is a well-formed mobility option list ending exactly at e. */
export function parsesAsOptions(buf, s, e) {
    while (s < e) {
        if (buf[s] === 0) {
            s++;
            continue;
        }
        if (s + 2 > e)
            return false;
        s += 2 + buf[s + 1];
    }
    return s === e;
}
/** The k the spec prescribes without the AR's key: the first allowed size after which the rest parses as options. */
export function guessKedLength(buf, kedOff, end) {
    for (const k of KED_SIZES) {
        if (kedOff + k > end)
            break;
        if (parsesAsOptions(buf, kedOff + k, end))
            return k;
    }
    return undefined;
}
function kerDissect(tvb, off, pinfo, tree, data) {
    const mh = data?.mh ?? pinfo.data.mip6;
    const v = mh.vals;
    const claimedEnd = mh.offset + (mh.hlen + 1) * 8;
    const end = Math.min(tvb.end, claimedEnd);
    mh.name = LKE_NAMES[8];
    pinfo.setInfo(mh.name);
    const sub = tree ? tree.addText(LKE_NAMES[8], off, Math.max(0, end - off)) : null;
    let next = decodeLayout(tvb, off, KER_FIXED, v, sub);
    pinfo.appendInfo(` seq=${v['mip6.lke.seq']}`);
    let k = kerResolver?.(pinfo, mh);
    let guessed = false;
    if (k === undefined) {
        // a truncated capture cannot show where the options start: take what is there
        k = tvb.end === tvb.rend ? guessKedLength(tvb.buf, next, end) : undefined;
        guessed = true;
    }
    if (k === undefined) {
        k = Math.max(0, end - next);
        pinfo.addExpert('warning', 'lke.ked_length', `Key Exchange Data: no length of ${KED_SIZES.join('/')} octets leaves valid options after it; all ${k} octets taken as data`, sub, 'malformed');
    }
    tvb.check(next, k, 'Key Exchange Data');
    const ked = tvb.buf.subarray(next, next + k);
    v['mip6.lke.ked'] = ked;
    v['mip6.lke.ked_len'] = k;
    if (sub) {
        sub.add(hfKed, next, k, ked);
        const g = sub.add(hfKedLen, next, 0, k, `Key Exchange Data Length: ${k} octets (${k * 8}-bit RSA modulus${guessed ? ', from the option layout' : ''})`);
        g.generated = true;
    }
    next += k;
    mh.optionsOffset = next;
    walkOptions(tvb, next, tvb.end, pinfo, tree, mh);
    const rl = mh.options.find((o) => o.type === 3)?.vals['mip6.lke.req_lifetime'];
    if (rl !== undefined)
        pinfo.appendInfo(` lifetime=${rl}s`);
    return true;
}
// ---- Key Exchange Ack (MH 9) and Finished (MH 10) ----
const hfStatus = L.u8('mip6.lke.status', 'Status');
const hfReserved = L.u8('mip6.lke.reserved', 'Reserved', { base: 'hex' });
const hfLifetime = L.u16('mip6.lke.lifetime', 'Lifetime');
const KEA = [hfStatus, hfReserved, hfSeq, hfLifetime];
const FIN = [hfStatus, hfReserved, hfSeq, hfLifetime, L.u32('mip6.lke.nonce', 'Nonce', { base: 'hex_dec' })];
export const kerHandle = registerDissector('mip6.lke.ker', 'MIPv6', kerDissect, 'mh.malformed');
export const keaHandle = registerMessage('mip6.lke.kea', {
    name: LKE_NAMES[9], layout: KEA, labels: { 'mip6.lke.lifetime': fourSeconds },
    info: (v) => ` seq=${v['mip6.lke.seq']} status=${v['mip6.lke.status']} lifetime=${v['mip6.lke.lifetime']}`,
}, []);
export const finHandle = registerMessage('mip6.lke.finished', {
    name: LKE_NAMES[10], layout: FIN, labels: { 'mip6.lke.lifetime': fourSeconds },
    info: (v) => ` seq=${v['mip6.lke.seq']} status=${v['mip6.lke.status']} nonce=0x${v['mip6.lke.nonce'].toString(16).padStart(8, '0')}`,
}, []);
// ---- options inside MH 8/9/10 and the Finished Request in a BA ----
extOption('mip6.lke.opt.req_lifetime', {
    short: 'lke_req_lifetime', name: 'Requested Lifetime (LKE)', len: 2,
    layout: [L.u16('mip6.lke.req_lifetime', 'Requested Lifetime', { unit: ' seconds' })],
    summary: (v) => `${v['mip6.lke.req_lifetime']} seconds`,
}, ['8/3']);
extOption('mip6.lke.opt.ar_addr', {
    short: 'lke_ar_addr', name: 'AR Address (LKE)', len: 16,
    layout: [L.ipv6('mip6.lke.ar_addr', 'AR Global Address')],
    summary: (v) => ipv6ToString(v['mip6.lke.ar_addr']),
}, ['9/4']);
extOption('mip6.lke.opt.hmac', {
    short: 'lke_hmac', name: 'HMAC-SHA1 (LKE)', len: 20,
    layout: [L.bytes('mip6.lke.hmac', 'HMAC-SHA1', 20)],
    summary: (v) => bytesToHex(v['mip6.lke.hmac']),
}, ['9/5']);
extOption('mip6.lke.opt.auth', {
    short: 'lke_auth', name: 'Binding Authorization Data (LKE Finished)', len: 12,
    layout: [L.bytes('mip6.lke.auth', 'Authenticator', 12)],
    summary: (v) => bytesToHex(v['mip6.lke.auth']),
}, ['10/5']);
extOption('mip6.lke.opt.fin_req', {
    short: 'lke_fin_req', name: 'Finished Request (LKE)', len: 6,
    // RFC 3963's Mobile Network Prefix is option 6 too, but never of length 6 (spec §7)
    accept: (len) => len === 6 && pref('mip6.profile') === 'lke',
    layout: [
        L.flags16(null, [['mip6.lke.fin_req.r', 'Finished requested (r)', 0x8000], ['mip6.lke.fin_req.reserved', 'Reserved', 0x7fff, { base: 'hex' }]]),
        L.u32('mip6.lke.fin_req.nonce', 'Nonce', { base: 'hex_dec' }),
    ],
    summary: (v) => `r=${v['mip6.lke.fin_req.r'] ? 1 : 0} nonce=0x${v['mip6.lke.fin_req.nonce'].toString(16).padStart(8, '0')}`,
}, ['6/6']);
// ---- profile: MH 8-10 are LKE unless -o mip6.profile:fmipv6 ----
const FMIPV6_NAMES = { 8: MH_TYPE_NAMES[8], 9: MH_TYPE_NAMES[9], 10: MH_TYPE_NAMES[10] };
const mine = { 8: kerHandle, 9: keaHandle, 10: finHandle };
function applyProfile() {
    const t = table('mip6.mhtype');
    const lke = pref('mip6.profile') !== 'fmipv6';
    for (const k of [8, 9, 10]) {
        if (lke) {
            t.add(k, mine[k]);
            MH_TYPE_NAMES[k] = LKE_NAMES[k];
        }
        else {
            // leave the key to the FMIPv6 messages (the MH module's hook installs them)
            if (t.get(k)?.name === mine[k].name)
                t.remove(k);
            if (FMIPV6_NAMES[k])
                MH_TYPE_NAMES[k] = FMIPV6_NAMES[k];
        }
    }
}
applyProfile();
onPrefsApplied(applyProfile);
