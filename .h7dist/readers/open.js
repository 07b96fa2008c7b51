import { ChunkReader } from './chunks.js';
import { ReaderError } from './errors.js';
import { PCAP_MAGICS, readPcap } from './pcap.js';
import { SHB, readPcapng } from './pcapng.js';
import { openSource } from './source.js';
export { ReaderError } from './errors.js';
export function openCaptureSource(src) {
    const cr = new ChunkReader(src);
    if (!cr.ensure(4))
        throw new ReaderError(`"${src.name}" is not a capture file: it is ${cr.available() === 0 ? 'empty' : 'too short'}`);
    const magic = cr.view(4).readUInt32BE(0);
    const info = { format: 'pcap' };
    let packets;
    if (PCAP_MAGICS.includes(magic))
        packets = readPcap(cr, info);
    else if (magic === SHB)
        packets = readPcapng(cr, info);
    else
        throw new ReaderError(`"${src.name}" is not a capture file this reader understands (not pcap or pcapng: magic 0x${magic.toString(16).padStart(8, '0')})`);
    return { info, packets, source: src, position: () => cr.offset };
}
/** Open `path` ('-' = stdin). Throws ReaderError with one clear line. */
export function openCapture(path) {
    let src;
    try {
        src = openSource(path);
    }
    catch (e) {
        const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
        throw new ReaderError(`cannot open "${path}": ${why}`);
    }
    return openCaptureSource(src);
}
