// -w: write packets as pcap (µs or ns, by the input's precision) or pcapng (by
// the file extension .pcapng/.ntar), keeping original timestamps, captured and
// original lengths. The file is created when the writer opens (so a bad path is
// reported before reading, and no match still gives a valid empty capture); the
// pcap header waits for the first packet's link type.
import * as fs from 'node:fs';
import { UsageError } from '../cli/errors.js';
const SNAPLEN = 262144;
export function isPcapngName(path) {
    return /\.(pcapng|ntar)(\.gz)?$/i.test(path);
}
/**
 * Open `path` ("-" = standard output). `linktype` null = take it from the first
 * packet (pcap), Ethernet when no packet is written.
 */
export function openWriter(path, linktype, nanosecond) {
    let fd;
    try {
        fd = path === '-' ? 1 : fs.openSync(path, 'w');
    }
    catch (e) {
        const why = e.code === 'ENOENT' ? 'no such directory' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
        throw new UsageError(`cannot write "${path}": ${why}`);
    }
    const ng = isPcapngName(path);
    const chunks = [];
    let size = 0;
    let failed = false;
    const flush = () => {
        if (chunks.length && !failed) {
            const b = Buffer.concat(chunks);
            let off = 0;
            try {
                while (off < b.length)
                    off += fs.writeSync(fd, b, off, b.length - off);
            }
            catch (e) {
                // EPIPE (| head): stop writing quietly; other errors are reported once
                failed = true;
                if (e.code !== 'EPIPE')
                    process.stderr.write(`mip6scope: writing "${path}" failed: ${e.message}\n`);
            }
        }
        chunks.length = 0;
        size = 0;
    };
    const push = (b) => {
        chunks.push(b);
        size += b.length;
        if (size > 1 << 20)
            flush();
    };
    let headerDone = false;
    const header = (lt) => {
        headerDone = true;
        if (ng) {
            const shb = Buffer.alloc(28);
            shb.writeUInt32LE(0x0a0d0d0a, 0);
            shb.writeUInt32LE(28, 4);
            shb.writeUInt32LE(0x1a2b3c4d, 8);
            shb.writeUInt16LE(1, 12);
            shb.writeUInt16LE(0, 14);
            shb.writeBigInt64LE(-1n, 16); // section length unknown
            shb.writeUInt32LE(28, 24);
            push(shb);
        }
        else {
            const h = Buffer.alloc(24);
            h.writeUInt32LE(nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, 0);
            h.writeUInt16LE(2, 4);
            h.writeUInt16LE(4, 6);
            h.writeUInt32LE(SNAPLEN, 16);
            h.writeUInt32LE(lt, 20);
            push(h);
        }
    };
    if (ng)
        header(0);
    const ifaces = new Map(); // linktype -> interface id (pcapng)
    const idb = (lt) => {
        let id = ifaces.get(lt);
        if (id !== undefined)
            return id;
        id = ifaces.size;
        ifaces.set(lt, id);
        // if_tsresol = 9 (ns) so no precision is lost
        const b = Buffer.alloc(32);
        b.writeUInt32LE(1, 0);
        b.writeUInt32LE(32, 4);
        b.writeUInt16LE(lt, 8);
        b.writeUInt32LE(SNAPLEN, 12);
        b.writeUInt16LE(9, 16);
        b.writeUInt16LE(1, 18);
        b.writeUInt8(9, 20);
        b.writeUInt32LE(0, 24); // opt_endofopt
        b.writeUInt32LE(32, 28);
        push(b);
        return id;
    };
    let pcapLinktype = linktype;
    return {
        write(p) {
            const caplen = Math.min(p.caplen, p.data.length);
            if (ng) {
                const id = idb(p.linktype);
                const padded = (caplen + 3) & ~3;
                const total = 32 + padded;
                const b = Buffer.alloc(total);
                b.writeUInt32LE(6, 0);
                b.writeUInt32LE(total, 4);
                b.writeUInt32LE(id, 8);
                const t = BigInt(p.tsSec) * 1000000000n + BigInt(p.tsNsec);
                b.writeUInt32LE(Number(t >> 32n), 12);
                b.writeUInt32LE(Number(t & 0xffffffffn), 16);
                b.writeUInt32LE(caplen, 20);
                b.writeUInt32LE(p.origlen, 24);
                p.data.copy(b, 28, 0, caplen);
                b.writeUInt32LE(total, total - 4);
                push(b);
            }
            else {
                if (!headerDone)
                    header((pcapLinktype ??= p.linktype));
                const h = Buffer.alloc(16);
                h.writeUInt32LE(p.tsSec >>> 0, 0);
                h.writeUInt32LE(nanosecond ? p.tsNsec : Math.floor(p.tsNsec / 1000), 4);
                h.writeUInt32LE(caplen, 8);
                h.writeUInt32LE(p.origlen, 12);
                push(h);
                push(p.data.subarray(0, caplen));
            }
        },
        close() {
            if (!headerDone)
                header(pcapLinktype ?? 1);
            flush();
            if (fd !== 1)
                fs.closeSync(fd);
        },
    };
}
