import { ReaderError, MAX_RECORD, MAX_INTERFACES } from './errors.js';
export const SHB = 0x0a0d0d0a;
/** Wireshark 4.0's precision for a resolution: the coarsest of s/ds/cs/ms/µs/ns that keeps it. */
function digitsFor(unitsPerSec) {
    if (unitsPerSec >= 1e9)
        return 9;
    if (unitsPerSec >= 1e6)
        return 6;
    if (unitsPerSec >= 1e3)
        return 3;
    if (unitsPerSec >= 100)
        return 2;
    if (unitsPerSec >= 10)
        return 1;
    return 0;
}
const decoder = new TextDecoder('utf-8', { fatal: false });
function parseOptions(body, start, le, cb) {
    let o = start;
    while (o + 4 <= body.length) {
        const code = le ? body.readUInt16LE(o) : body.readUInt16BE(o);
        const len = le ? body.readUInt16LE(o + 2) : body.readUInt16BE(o + 2);
        if (code === 0)
            return;
        if (o + 4 + len > body.length)
            return; // option runs past the block: ignore the rest
        cb(code, body.subarray(o + 4, o + 4 + len));
        o += 4 + ((len + 3) & ~3);
    }
}
export function* readPcapng(cr, info) {
    info.format = 'pcapng';
    let le = true;
    let ifaces = [];
    let sectionSeen = false;
    let section = 0;
    for (;;) {
        const blockOff = cr.offset;
        if (!cr.ensure(8)) {
            if (cr.available() === 0)
                return;
            throw new ReaderError(`truncated block header at offset ${blockOff}`, blockOff);
        }
        let h = cr.view(8);
        let type = le ? h.readUInt32LE(0) : h.readUInt32BE(0);
        if (h.readUInt32BE(0) === SHB) {
            // byte order comes from the magic in the SHB body
            if (!cr.ensure(12))
                throw new ReaderError(`truncated section header at offset ${blockOff}`, blockOff);
            const bom = cr.view(12).readUInt32LE(8);
            if (bom === 0x1a2b3c4d)
                le = true;
            else if (bom === 0x4d3c2b1a)
                le = false;
            else
                throw new ReaderError(`section header at offset ${blockOff} has an unknown byte-order magic`, blockOff);
            type = SHB;
            h = cr.view(8);
            ifaces = [];
            sectionSeen = true;
            section++;
        }
        else if (!sectionSeen) {
            throw new ReaderError('the file does not start with a pcapng section header', blockOff);
        }
        const total = le ? h.readUInt32LE(4) : h.readUInt32BE(4);
        if (total < 12 || total % 4 !== 0) {
            throw new ReaderError(`block at offset ${blockOff} has an invalid length ${total}`, blockOff);
        }
        if (total > MAX_RECORD) {
            throw new ReaderError(`block at offset ${blockOff} claims ${total} octets, more than the ${MAX_RECORD} this reader accepts`, blockOff);
        }
        if (!cr.ensure(total)) {
            throw new ReaderError(`truncated block at offset ${blockOff}: ${total} octets announced, ${cr.available()} present`, blockOff);
        }
        const block = cr.view(total);
        cr.skip(total);
        const trailer = le ? block.readUInt32LE(total - 4) : block.readUInt32BE(total - 4);
        if (trailer !== total) {
            throw new ReaderError(`block at offset ${blockOff}: trailing length ${trailer} differs from ${total}`, blockOff);
        }
        const body = block.subarray(8, total - 4);
        const u16 = (o) => (le ? body.readUInt16LE(o) : body.readUInt16BE(o));
        const u32 = (o) => (le ? body.readUInt32LE(o) : body.readUInt32BE(o));
        switch (type) {
            case SHB: {
                if (body.length < 16)
                    throw new ReaderError(`section header at offset ${blockOff} is too short`, blockOff);
                info.littleEndian = le;
                info.version = `${u16(4)}.${u16(6)}`;
                break;
            }
            case 1: { // IDB
                if (body.length < 8)
                    throw new ReaderError(`interface description at offset ${blockOff} is too short`, blockOff);
                if (ifaces.length >= MAX_INTERFACES)
                    throw new ReaderError(`more than ${MAX_INTERFACES} interfaces in one section at offset ${blockOff}`, blockOff);
                const ifc = { linktype: u16(0), snaplen: u32(4), unitsPerSec: 1e6, offsetSec: 0, digits: 6 };
                parseOptions(body, 8, le, (code, val) => {
                    if (code === 2)
                        ifc.name = decoder.decode(val);
                    else if (code === 9 && val.length >= 1) {
                        const r = val[0];
                        const exp = r & 0x7f;
                        ifc.unitsPerSec = r & 0x80 ? 2 ** exp : 10 ** exp;
                    }
                    else if (code === 14 && val.length >= 8) {
                        ifc.offsetSec = Number(le ? val.readBigInt64LE(0) : val.readBigInt64BE(0));
                    }
                    else if (code === 13 && val.length >= 1) {
                        ifc.fcsLen = val[0];
                    }
                });
                if (ifc.unitsPerSec === 0 || !Number.isFinite(ifc.unitsPerSec))
                    ifc.unitsPerSec = 1e6;
                ifc.digits = digitsFor(ifc.unitsPerSec);
                ifaces.push(ifc);
                if (info.linktype === undefined)
                    info.linktype = ifc.linktype;
                break;
            }
            case 6: // EPB
            case 2: { // obsolete Packet Block
                if (body.length < 20)
                    throw new ReaderError(`packet block at offset ${blockOff} is too short`, blockOff);
                const ifid = type === 6 ? u32(0) : u16(0);
                const ifc = ifaces[ifid];
                if (!ifc)
                    throw new ReaderError(`packet block at offset ${blockOff} names interface ${ifid}, which was not described`, blockOff);
                const caplen = u32(12);
                const origlen = u32(16);
                if (20 + caplen > body.length)
                    throw new ReaderError(`packet block at offset ${blockOff}: captured length ${caplen} runs past the block`, blockOff);
                const data = body.subarray(20, 20 + caplen);
                const ts = tsFrom(u32(4), u32(8), ifc);
                const pkt = { tsSec: ts[0], tsNsec: ts[1], caplen, origlen: Math.max(origlen, caplen), linktype: ifc.linktype, data, ifIndex: ifid, ifName: ifc.name, fileOffset: blockOff, tsDigits: ifc.digits, section };
                if (ifc.fcsLen)
                    pkt.fcsLen = ifc.fcsLen;
                parseOptions(body, 20 + ((caplen + 3) & ~3), le, (code, val) => {
                    if (code === 1)
                        (pkt.comments ??= []).push(decoder.decode(val));
                });
                yield pkt;
                break;
            }
            case 3: { // SPB: interface 0, no timestamp
                const ifc = ifaces[0];
                if (!ifc)
                    throw new ReaderError(`simple packet block at offset ${blockOff} before any interface description`, blockOff);
                if (body.length < 4)
                    throw new ReaderError(`simple packet block at offset ${blockOff} is too short`, blockOff);
                const origlen = u32(0);
                let caplen = Math.min(origlen, body.length - 4);
                if (ifc.snaplen > 0)
                    caplen = Math.min(caplen, ifc.snaplen);
                const pkt = { tsSec: 0, tsNsec: 0, caplen, origlen: Math.max(origlen, caplen), linktype: ifc.linktype, data: body.subarray(4, 4 + caplen), ifIndex: 0, ifName: ifc.name, fileOffset: blockOff, tsDigits: ifc.digits, noTs: true, section };
                if (ifc.fcsLen)
                    pkt.fcsLen = ifc.fcsLen;
                yield pkt;
                break;
            }
            default:
                break; // NRB, ISB, DSB, custom and unknown blocks: skipped
        }
    }
}
function tsFrom(hi, lo, ifc) {
    const t = hi * 4294967296 + lo;
    const u = ifc.unitsPerSec;
    if (t <= Number.MAX_SAFE_INTEGER && (u === 1e6 || u === 1e3 || u === 1)) {
        const sec = Math.floor(t / u);
        return [sec + ifc.offsetSec, Math.round((t - sec * u) * (1e9 / u))];
    }
    const T = (BigInt(hi) << 32n) | BigInt(lo);
    if (Number.isInteger(u) && u <= Number.MAX_SAFE_INTEGER) {
        const U = BigInt(u);
        const sec = T / U;
        const rem = T % U;
        return [Number(sec) + ifc.offsetSec, Number((rem * 1000000000n) / U)];
    }
    const secs = Number(T) / u;
    const sec = Math.floor(secs);
    return [sec + ifc.offsetSec, Math.floor((secs - sec) * 1e9)];
}
