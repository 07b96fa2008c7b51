// RFC 5142 5.1: Home Agent Switch (MH 12): a count, then that many home agent addresses.
import { layoutMaker } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
const L = layoutMaker('mipv6');
const addr = L.F('mip6.has.address', 'Address', 'ipv6');
export const HAS = [
    L.u8('mip6.has.num_addrs', 'Number of Addresses'),
    L.u8('mip6.has.reserved', 'Reserved', { base: 'hex' }),
];
function addresses(tvb, off, v, sub) {
    const n = v['mip6.has.num_addrs'];
    const list = [];
    v['mip6.has.address'] = list;
    for (let i = 0; i < n; i++) {
        const a = tvb.bytes(off, 16, `Home agent address ${i + 1} of ${n}`);
        list.push(a);
        sub?.add(addr, off, 16, a);
        off += 16;
    }
    return off;
}
registerMessage('mip6.has', { name: 'Home Agent Switch', layout: HAS, more: addresses, info: (v) => ` addresses=${v['mip6.has.num_addrs']}` }, [12]);
