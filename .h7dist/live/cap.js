// Lazy loader for the optional `cap` package (libpcap binding). File reading never
// touches it; -i, -D and replay load it on demand and explain when it is missing.
import { createRequire } from 'node:module';
import { UsageError } from '../cli/errors.js';
let mod = null;
export function loadCap() {
    if (mod)
        return mod;
    try {
        const require = createRequire(import.meta.url);
        mod = require('cap');
        return mod;
    }
    catch (e) {
        throw new UsageError(`live capture needs the optional "cap" package built against libpcap (apt-get install libpcap-dev; npm install cap): ${e.message.split('\n')[0]}`);
    }
}
/** cap's link-type names to pcap LINKTYPE_ numbers. */
export function linktypeNumber(name) {
    switch (name) {
        case 'ETHERNET': return 1;
        case 'NULL': return 0;
        case 'RAW': return 101;
        case 'LINKTYPE_LINUX_SLL': return 113;
        case 'IEEE802_11_RADIO': return 127;
        default: return 147; // user-defined: shown as data
    }
}
/** Open a device; turns libpcap's errors (no such device, no permission) into one line. */
export function openDevice(iface, filter, snaplen) {
    const { Cap } = loadCap();
    // libpcap prints its own warnings for unknown devices: ask first, answer in one line
    if (!Cap.deviceList().some((d) => d.name === iface))
        throw new UsageError(`cannot capture on "${iface}": no such interface (see: mip6scope -D)`);
    const cap = new Cap();
    const buffer = Buffer.alloc(snaplen);
    let lt;
    try {
        lt = cap.open(iface, filter, 10 * 1024 * 1024, buffer);
    }
    catch (e) {
        const m = e.message;
        if (/permi|privileg|EPERM/i.test(m))
            throw new UsageError(`cannot capture on "${iface}": ${m} (live capture needs root or CAP_NET_RAW)`);
        throw new UsageError(`cannot capture on "${iface}": ${m}`);
    }
    cap.setMinBytes?.(0);
    return { cap, buffer, linktype: linktypeNumber(lt) };
}
