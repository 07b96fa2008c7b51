import { ipv6ToString } from '../core/addr.js';
export const MH_NAMES = {
    0: ['Binding Refresh Request', 'BRR'], 1: ['Home Test Init', 'HoTI'], 2: ['Care-of Test Init', 'CoTI'],
    3: ['Home Test', 'HoT'], 4: ['Care-of Test', 'CoT'], 5: ['Binding Update', 'BU'], 6: ['Binding Acknowledgement', 'BA'],
    7: ['Binding Error', 'BE'], 8: ['Fast Binding Update', 'FBU'], 9: ['Fast Binding Acknowledgment', 'FBack'],
    10: ['Fast Neighbor Advertisement', 'FNA'], 11: ['Experimental Mobility Header', 'EMH'],
    12: ['Home Agent Switch', 'HAS'], 13: ['Heartbeat', 'HB'], 14: ['Handover Initiate', 'HI'], 15: ['Handover Acknowledge', 'HAck'],
    16: ['Binding Revocation', 'BR'], 17: ['Localized Routing Initiation', 'LRI'], 18: ['Localized Routing Acknowledgment', 'LRA'],
};
/** RFC 6275 9.5.1 / IANA Binding Acknowledgement status */
export const BA_STATUS = {
    0: 'Binding Update accepted', 1: 'Accepted but prefix discovery necessary',
    128: 'Reason unspecified', 129: 'Administratively prohibited', 130: 'Insufficient resources',
    131: 'Home registration not supported', 132: 'Not home subnet', 133: 'Not home agent for this mobile node',
    134: 'Duplicate Address Detection failed', 135: 'Sequence number out of window', 136: 'Expired home nonce index',
    137: 'Expired care-of nonce index', 138: 'Expired nonces', 139: 'Registration type change disallowed',
    140: 'Mobile Router Operation not permitted', 141: 'Invalid Prefix', 142: 'Not Authorized for Prefix',
    143: 'Forwarding Setup failed',
};
export const BE_STATUS = { 1: 'Unknown binding for Home Address destination option', 2: 'Unrecognized MH Type value' };
function num(v) {
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
}
const FLAG_NAMES = ['a', 'h', 'l', 'k', 'm', 'r', 'p'];
/** The mobility event of a packet, or null when it carries no Mobility Header. */
export function mobilityEvent(p) {
    const mh = p.data.mip6;
    if (!mh || typeof mh.type !== 'number')
        return null;
    const v = mh.vals ?? {};
    const names = MH_NAMES[mh.type];
    const src = mh.src ? ipv6ToString(mh.src) : p.srcText;
    const dst = mh.dst ? ipv6ToString(mh.dst) : p.dstText;
    const ev = {
        frame: p.num,
        time: p.raw.tsSec + p.raw.tsNsec / 1e9,
        sec: p.raw.tsSec,
        nsec: p.raw.tsNsec,
        type: mh.type,
        abbr: names?.[1] ?? `MH${mh.type}`,
        name: mh.name || names?.[0] || `Mobility Header type ${mh.type}`,
        src, dst, hoa: null, coa: null,
        flags: [],
        expert: p.expert.filter((e) => e.severity !== 'comment').map((e) => ({ id: e.id, severity: e.severity, message: e.message })),
        verdicts: { ...(p.data.verify ?? {}) },
        malformed: !!mh.malformed || p.malformed,
    };
    const hao = mh.hoa ? ipv6ToString(mh.hoa) : null;
    const rh2 = mh.rh2 ? ipv6ToString(mh.rh2) : null;
    let altCoa = null;
    for (const o of mh.options ?? []) {
        for (const [k, val] of Object.entries(o.vals ?? {}))
            if (/acoa/.test(k) && val instanceof Uint8Array && val.length === 16)
                altCoa = ipv6ToString(val);
    }
    switch (mh.type) {
        case 5:
        case 8: {
            ev.seq = num(v['mip6.bu.seqnr']) ?? num(v['mip6.fbu.seqnr']);
            const lt = num(v['mip6.bu.lifetime']) ?? num(v['mip6.fbu.lifetime']);
            if (lt !== undefined)
                ev.lifetime = lt * 4;
            for (const f of FLAG_NAMES)
                if (num(v[`mip6.bu.${f}_flag`]))
                    ev.flags.push(f.toUpperCase());
            ev.hoa = hao ?? src;
            ev.coa = altCoa ?? src;
            break;
        }
        case 6:
        case 9: {
            ev.seq = num(v['mip6.ba.seqnr']) ?? num(v['mip6.fback.seqnr']);
            ev.status = num(v['mip6.ba.status']) ?? num(v['mip6.fback.status']);
            const lt = num(v['mip6.ba.lifetime']) ?? num(v['mip6.fback.lifetime']);
            if (lt !== undefined)
                ev.lifetime = lt * 4;
            if (num(v['mip6.ba.k_flag']))
                ev.flags.push('K');
            ev.hoa = rh2 ?? dst;
            ev.coa = dst;
            break;
        }
        case 1:
            ev.hoa = src;
            break;
        case 2:
            ev.coa = src;
            break;
        case 3:
            ev.hoa = rh2 ?? dst;
            break;
        case 4:
            ev.coa = dst;
            break;
        case 0:
            ev.hoa = rh2 ?? dst;
            ev.coa = dst;
            break;
        case 7: {
            ev.status = num(v['mip6.be.status']);
            const h = v['mip6.be.haddr'];
            ev.hoa = h instanceof Uint8Array && h.length === 16 ? ipv6ToString(h) : null;
            break;
        }
    }
    return ev;
}
/** "BU seq=100 lt=240s A H" / "BA seq=100 status=0" */
export function eventLabel(e) {
    let s = e.abbr;
    if (e.seq !== undefined)
        s += ` seq=${e.seq}`;
    if (e.status !== undefined)
        s += ` status=${e.status}`;
    if (e.lifetime !== undefined)
        s += ` lt=${e.lifetime}s`;
    if (e.flags.length)
        s += ' ' + e.flags.join('');
    if (e.malformed)
        s += ' [Malformed]';
    if (e.expert.some((x) => x.id === 'seq.replay'))
        s += ' [replay]';
    return s;
}
export function accepted(status) {
    return status === undefined ? undefined : status < 128;
}
