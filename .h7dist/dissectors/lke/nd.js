// LKE Neighbor Discovery options (spec §3, seed 004 3.1): option 6 in a Router
// Advertisement = LKE Capability, 7 in a Neighbor Solicitation = DAD
// Authentication Request, 8 in a Neighbor Advertisement = DAD Authentication
// Reply. They sit at context keys of table `icmpv6.nd.opt.type` ('134/6', '135/7',
// '136/8'), so 7/8 in an RA stay RFC 6275's Advertisement Interval / Home Agent
// Information and `-d` can move them. Decoded values go to pinfo.data.lkeNd.
import { fieldMaker, getField } from '../../core/fields.js';
import { registerDissector, table } from '../../core/tables.js';
import { ipv6ToString, bytesToHex } from '../../core/addr.js';
import { describeSpki } from '../cbu/cert.js';
const F = fieldMaker('mipv6');
const hf = {
    capMaxLife: F('mip6.lke.cap.max_lifetime', 'Maximum Lifetime', 'uint16', { unit: ' seconds' }),
    capPubkey: F('mip6.lke.cap.pubkey', 'Public Key (SubjectPublicKeyInfo)', 'bytes'),
    capKeyType: F('mip6.lke.cap.key_type', 'Public Key Type', 'string'),
    capKeyBits: F('mip6.lke.cap.key_bits', 'Public Key Size', 'uint32', { unit: ' bits' }),
    capPadding: F('mip6.lke.cap.padding', 'Padding', 'bytes'),
    dadReserved: F('mip6.lke.dad.reserved', 'Reserved', 'uint16', { base: 'hex' }),
    dadNonce: F('mip6.lke.dad.nonce', 'Nonce', 'uint32', { base: 'hex_dec' }),
    dadAr: F('mip6.lke.dad.ar_addr', 'AR Address', 'ipv6'),
    dadHmac: F('mip6.lke.dad.hmac', 'HMAC-SHA1', 'bytes'),
    dadPad: F('mip6.lke.dad.pad', 'Padding', 'bytes'),
};
// The ICMPv6 module defines these (tshark's names); defined here too, identically,
// so this file works whichever module loads first.
const FI = fieldMaker('icmpv6');
const optItemField = getField('icmpv6.opt') ?? FI('icmpv6.opt', 'ICMPv6 Option', 'none');
const optTypeField = getField('icmpv6.opt.type') ?? FI('icmpv6.opt.type', 'Type', 'uint8');
const optLenField = getField('icmpv6.opt.length') ?? FI('icmpv6.opt.length', 'Length', 'uint8');
const NAMES = { capability: 'LKE Capability', dad_request: 'DAD Authentication Request', dad_reply: 'DAD Authentication Reply' };
/** The RA's H bit from the ICMPv6 module's context (or the packet itself). */
function raHBit(tvb, pinfo, ctx) {
    // icmpv6_nd.ts NdCtx: {icmpType, item, raH, optType, optLen, info}
    if (ctx && typeof ctx.raH === 'boolean')
        return ctx.raH;
    const ic = pinfo.data.icmpv6;
    if (ic && typeof ic.offset === 'number' && ic.type === 134 && tvb.buf.length > ic.offset + 5)
        return (tvb.buf[ic.offset + 5] & 0x20) !== 0;
    return undefined;
}
/**
 * Open the option's item: the ICMPv6 walker may hand us its own `icmpv6.opt` item
 * (with type and length already shown) or the options parent.
 */
function openItem(tvb, off, len, tree, name) {
    if (!tree)
        return null;
    const avail = Math.max(0, Math.min(off + len, tvb.end) - off);
    const label = `ICMPv6 Option (${name})`;
    if (tree.field === optItemField || tree.field?.abbrev === 'icmpv6.opt') {
        tree.text = label;
        if (!tree.children?.some((c) => c.field?.abbrev === 'icmpv6.opt.type')) {
            tree.add(optTypeField, off, 1, tvb.u8(off), `Type: ${name} (${tvb.u8(off)})`);
            tree.add(optLenField, off + 1, 1, tvb.u8(off + 1), `Length: ${tvb.u8(off + 1)} (${len} bytes)`);
        }
        return tree;
    }
    const it = tree.add(optItemField, off, avail, null, label);
    it.add(optTypeField, off, 1, tvb.u8(off), `Type: ${name} (${tvb.u8(off)})`);
    it.add(optLenField, off + 1, 1, tvb.u8(off + 1), `Length: ${tvb.u8(off + 1)} (${len} bytes)`);
    return it;
}
function record(pinfo, o) {
    (pinfo.data.lkeNd ??= []).push(o);
}
function malformed(pinfo, it, msg) {
    pinfo.malformed = true;
    pinfo.addExpert('error', 'lke.nd_malformed', msg, it, 'malformed');
    if (!pinfo.info.includes('[Malformed Packet]'))
        pinfo.appendInfo(' [Malformed Packet]');
}
registerDissector('icmpv6.nd.opt.lke_capability', 'ICMPv6', (tvb, off, pinfo, tree, ctx) => {
    const units = tvb.u8(off + 1);
    const len = units * 8;
    const o = { type: tvb.u8(off), kind: 'capability', off, len, vals: {} };
    record(pinfo, o);
    const it = openItem(tvb, off, len, tree, NAMES.capability);
    if (len < 8) {
        malformed(pinfo, it, `LKE Capability: length ${units} (${len} octets) leaves no room for a key`);
        return true;
    }
    const h = raHBit(tvb, pinfo, ctx);
    if (h !== undefined)
        o.vals['icmpv6.nd.ra.flag.h'] = h;
    const ml = tvb.u16(off + 2);
    o.vals['mip6.lke.cap.max_lifetime'] = ml;
    it?.add(hf.capMaxLife, off + 2, 2, ml);
    const end = off + len;
    tvb.check(off + 4, len - 4, 'LKE Capability public key');
    // DER: the SubjectPublicKeyInfo's own length says where the zero padding starts
    const ko = off + 4;
    let klen = end - ko;
    if (tvb.u8(ko) === 0x30) {
        const l1 = tvb.u8(ko + 1);
        let hdr = 2;
        let body = l1;
        if (l1 & 0x80) {
            const n = l1 & 0x7f;
            if (n < 1 || n > 3)
                body = -1;
            else {
                body = 0;
                for (let i = 0; i < n; i++)
                    body = body * 256 + tvb.u8(ko + 2 + i);
                hdr += n;
            }
        }
        if (body >= 0 && ko + hdr + body <= end)
            klen = hdr + body;
    }
    const key = tvb.buf.subarray(ko, ko + klen);
    o.vals['mip6.lke.cap.pubkey'] = key;
    it?.add(hf.capPubkey, ko, klen, key);
    try {
        const d = describeSpki(key);
        o.vals['mip6.lke.cap.key_type'] = d.keyType;
        if (d.keyBits)
            o.vals['mip6.lke.cap.key_bits'] = d.keyBits;
        if (it) {
            it.add(hf.capKeyType, ko, klen, d.keyType).generated = true;
            if (d.keyBits)
                it.add(hf.capKeyBits, ko, klen, d.keyBits).generated = true;
        }
        if (d.keyType !== 'rsa')
            pinfo.addExpert('warning', 'lke.capability_key', `LKE Capability: ${d.keyType} key, the draft expects RSA`, it, 'protocol');
    }
    catch (e) {
        pinfo.addExpert('error', 'lke.capability_key', `LKE Capability: public key is not a valid DER SubjectPublicKeyInfo (${e.message})`, it, 'malformed');
    }
    const pad = end - ko - klen;
    if (pad > 0) {
        const p = tvb.buf.subarray(ko + klen, end);
        o.vals['mip6.lke.cap.padding'] = p;
        it?.add(hf.capPadding, ko + klen, pad, p);
        if (p.some((b) => b !== 0))
            pinfo.addExpert('warning', 'lke.capability_padding', 'LKE Capability: padding is not zero', it, 'protocol');
    }
    if (it)
        it.text = `ICMPv6 Option (${NAMES.capability}: max lifetime ${ml} s, ${o.vals['mip6.lke.cap.key_type'] ?? '?'} ${o.vals['mip6.lke.cap.key_bits'] ?? ''} bits)`;
    return true;
}, 'lke.nd_malformed');
function dadAuth(kind) {
    return (tvb, off, pinfo, tree) => {
        const units = tvb.u8(off + 1);
        const len = units * 8;
        const o = { type: tvb.u8(off), kind, off, len, vals: {} };
        record(pinfo, o);
        const it = openItem(tvb, off, len, tree, NAMES[kind]);
        if (units !== 6)
            malformed(pinfo, it, `${NAMES[kind]}: length ${units}, should be 6 (48 octets)`);
        const v = o.vals;
        v['mip6.lke.dad.reserved'] = tvb.u16(off + 2);
        it?.add(hf.dadReserved, off + 2, 2, v['mip6.lke.dad.reserved']);
        v['mip6.lke.dad.nonce'] = tvb.u32(off + 4);
        it?.add(hf.dadNonce, off + 4, 4, v['mip6.lke.dad.nonce']);
        v['mip6.lke.dad.ar_addr'] = tvb.bytes(off + 8, 16, 'AR Address');
        it?.add(hf.dadAr, off + 8, 16, v['mip6.lke.dad.ar_addr']);
        v['mip6.lke.dad.hmac'] = tvb.bytes(off + 24, 20, 'HMAC-SHA1');
        it?.add(hf.dadHmac, off + 24, 20, v['mip6.lke.dad.hmac']);
        v['mip6.lke.dad.pad'] = tvb.bytes(off + 44, 4, 'Padding');
        it?.add(hf.dadPad, off + 44, 4, v['mip6.lke.dad.pad']);
        if (it)
            it.text = `ICMPv6 Option (${NAMES[kind]}: nonce 0x${v['mip6.lke.dad.nonce'].toString(16).padStart(8, '0')}, AR ${ipv6ToString(v['mip6.lke.dad.ar_addr'])}, HMAC ${bytesToHex(v['mip6.lke.dad.hmac']).slice(0, 12)}…)`;
        return true;
    };
}
registerDissector('icmpv6.nd.opt.lke_dad_request', 'ICMPv6', dadAuth('dad_request'), 'lke.nd_malformed');
registerDissector('icmpv6.nd.opt.lke_dad_reply', 'ICMPv6', dadAuth('dad_reply'), 'lke.nd_malformed');
const t = table('icmpv6.nd.opt.type', 'ICMPv6 ND option type');
t.add('134/6', 'icmpv6.nd.opt.lke_capability');
t.add('135/7', 'icmpv6.nd.opt.lke_dad_request');
t.add('136/8', 'icmpv6.nd.opt.lke_dad_reply');
