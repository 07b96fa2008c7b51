// RFC 5096: Experimental Mobility Header (MH 11). Message data is opaque; the CBU
// module (spec section 5) sits at 'heur:11' and declines without its magic.
import { layoutMaker } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
const L = layoutMaker('mipv6');
export const EXPERIMENTAL = [L.bytes('mip6.em.data', 'Data', 'rest')];
registerMessage('mip6.experimental', { name: 'Experimental Mobility Header', layout: EXPERIMENTAL, flat: true, options: false }, [11]);
