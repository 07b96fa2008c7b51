import { PacketSink } from '../cli/sink.js';
import { UsageError } from '../cli/errors.js';
import { loadCap, openDevice } from './cap.js';
import { escapeText } from '../core/escape.js';
export function listInterfaces() {
    const { Cap } = loadCap();
    return Cap.deviceList().map((d, i) => {
        const addrs = (d.addresses ?? []).map((x) => x.addr).filter(Boolean).join(', ');
        return `${i + 1}. ${escapeText(d.name)}${d.description ? ` (${escapeText(d.description)})` : ''}${addrs ? ` [${escapeText(addrs)}]` : ''}`;
    });
}
function parseAutostop(list) {
    let dur = null;
    for (const a of list) {
        const m = /^duration:(\d+(?:\.\d+)?)$/.exec(a);
        if (!m)
            throw new UsageError(`invalid -a "${a}": supported is duration:SECONDS`);
        dur = Number(m[1]);
    }
    return dur;
}
export async function runLive(a, ctx) {
    if (a.listInterfaces) {
        for (const l of listInterfaces())
            ctx.out.line(l);
        ctx.out.flush();
        return 0;
    }
    const snaplen = a.snaplen === undefined ? 262144 : Number(a.snaplen);
    if (!Number.isInteger(snaplen) || snaplen < 64 || snaplen > 262144)
        throw new UsageError(`invalid -s "${a.snaplen}": 64 to 262144`);
    const duration = parseAutostop(a.autostop);
    const { cap, buffer, linktype } = openDevice(a.iface, a.captureFilter ?? '', snaplen);
    const sink = new PacketSink(a, ctx);
    process.stderr.write(`Capturing on '${escapeText(a.iface)}'\n`);
    sink.begin();
    // wall-clock nanoseconds = monotonic clock + offset fixed at start (monotone timestamps)
    const base = BigInt(Date.now()) * 1000000n - process.hrtime.bigint();
    return await new Promise((resolve) => {
        let done = false;
        let timer = null;
        const stop = () => {
            if (done)
                return;
            done = true;
            if (timer)
                clearTimeout(timer);
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            try {
                cap.close();
            }
            catch {
                /* already closed */
            }
            ctx.engine.endPass();
            sink.finish();
            process.stderr.write(`${sink.num} packet${sink.num === 1 ? '' : 's'} captured\n`);
            resolve(0);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        if (duration !== null)
            timer = setTimeout(stop, duration * 1000);
        cap.on('packet', (nbytes, truncated) => {
            if (done)
                return;
            const wall = base + process.hrtime.bigint();
            // the capture buffer is reused by libpcap: keep a copy of each packet
            const data = Buffer.from(buffer.subarray(0, nbytes));
            const raw = {
                tsSec: Number(wall / 1000000000n), tsNsec: Number(wall % 1000000000n),
                caplen: nbytes, origlen: truncated ? Math.max(nbytes, snaplen) + 1 : nbytes, linktype, data,
                ifName: a.iface, ifIndex: 0,
            };
            if (!sink.handle(raw))
                stop();
        });
    });
}
