// Undissected bytes (tshark's "data" protocol): unknown link types, unknown next
// headers, payloads without keys.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector } from '../core/tables.js';
const P = defineProtocol('data', 'Data');
const F = fieldMaker('data');
const hfData = F('data.data', 'Data', 'bytes');
const hfLen = F('data.len', 'Length', 'uint32');
registerDissector('data', 'Data', (tvb, off, pinfo, tree) => {
    const n = Math.max(0, tvb.end - off);
    if (n === 0)
        return;
    pinfo.layers.push('data');
    if (!pinfo.proto)
        pinfo.setProto('DATA');
    if (tree) {
        const t = tree.add(P, off, n, null, `Data (${n} byte${n === 1 ? '' : 's'})`);
        t.add(hfData, off, n, tvb.buf.subarray(off, off + n));
        const l = t.add(hfLen, off, 0, n);
        l.generated = true;
    }
});
