import { ipv6ToString, ipv4ToString, etherToString } from './addr.js';
export class PacketInfo {
    num;
    raw;
    pass;
    proto = '';
    info = '';
    srcStr = null;
    dstStr = null;
    srcKind = 'none';
    dstKind = 'none';
    src = null;
    dst = null;
    /** protocol stack, as frame.protocols */
    layers = [];
    expert = [];
    ip = null;
    ipStack = [];
    /** scratch per protocol (e.g. data.mip6 for verifiers and analysis) */
    data = Object.create(null);
    malformed = false;
    truncated = false;
    /** the frame's root item when a tree is wanted */
    tree = null;
    /** extra data sources (decrypted, reassembled) for hex output */
    sources = [];
    constructor(num, raw, 
    /** 1 = single pass or first of two; 2 = second pass of a two-pass run */
    pass = 1) {
        this.num = num;
        this.raw = raw;
        this.pass = pass;
    }
    setSrc(kind, a) {
        this.srcKind = kind;
        this.src = a;
        this.srcStr = null;
    }
    setDst(kind, a) {
        this.dstKind = kind;
        this.dst = a;
        this.dstStr = null;
    }
    get srcText() {
        return (this.srcStr ??= addrText(this.srcKind, this.src));
    }
    get dstText() {
        return (this.dstStr ??= addrText(this.dstKind, this.dst));
    }
    setProto(p) {
        this.proto = p;
    }
    setInfo(s) {
        this.info = s;
    }
    appendInfo(s) {
        this.info = this.info ? this.info + s : s.replace(/^[ ,]+/, '');
    }
    addExpert(severity, id, message, item, group) {
        const e = { severity, id, message, group, frame: this.num };
        this.expert.push(e);
        if (item) {
            const ei = item.addText(message, item.offset, 0);
            ei.expert = e;
        }
        return e;
    }
}
function addrText(kind, a) {
    if (!a)
        return '';
    switch (kind) {
        case 'ipv6': return ipv6ToString(a);
        case 'ipv4': return ipv4ToString(a);
        case 'ether': return etherToString(a);
        default: return '';
    }
}
