// Care-of address test with cookies (spec §4, seed 003 annex A1): BA status 250
// "care-of address test required" and the Cookie, a mobility option 18 (RFC 5096
// Experimental) of length exactly 30. Both code points are defaults: the cookie
// sits at key 'heur:18' of `mip6.option` (`-d mip6.option==N,mip6.cookie` moves
// it) and declines other lengths, which stay "Experimental".
import { layoutMaker } from './../core/layout.js';
import { registerPref, prefNumber, onPrefsApplied } from '../core/prefs.js';
import { ipv6ToString, bytesToHex } from '../core/addr.js';
import { BA_STATUS } from './mip6/names.js';
import { extOption } from './ext_option.js';
const L = layoutMaker('mipv6');
registerPref({
    name: 'mip6.cookie.ba_status',
    def: '250',
    desc: 'BA status code meaning "care-of address test required" (spec §4 default 250)',
});
const STATUS_TEXT = 'Care-of address test required';
let installed = null;
function applyStatus() {
    const code = prefNumber('mip6.cookie.ba_status');
    if (installed !== null && installed !== code && BA_STATUS[installed] === STATUS_TEXT)
        delete BA_STATUS[installed];
    if (Number.isInteger(code) && code >= 0 && code <= 255 && BA_STATUS[code] === undefined) {
        BA_STATUS[code] = STATUS_TEXT;
        installed = code;
    }
}
applyStatus();
onPrefsApplied(applyStatus);
export const COOKIE_LEN = 30;
export const cookieHandle = extOption('mip6.cookie', {
    short: 'cookie', name: 'Cookie', len: COOKIE_LEN,
    accept: (len) => len === COOKIE_LEN,
    layout: [
        L.u16('mip6.cookie.timestamp', 'Timestamp', { unit: ' (seconds mod 65536)' }),
        L.ipv6('mip6.cookie.coa', 'Tested Care-of Address'),
        L.bytes('mip6.cookie.mac', 'MAC', 12),
    ],
    summary: (v) => `CoA ${ipv6ToString(v['mip6.cookie.coa'])}, ts ${v['mip6.cookie.timestamp']}, MAC ${bytesToHex(v['mip6.cookie.mac'])}`,
}, ['heur:18']);
