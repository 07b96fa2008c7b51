// Raw IP (LINKTYPE_RAW 101): IPv4 or IPv6 by the version nibble, as tshark's
// "Raw packet data". LINKTYPE_IPV4 (228) goes straight to IPv4; LINKTYPE_IPV6
// (229) is registered by the IPv6 dissector.
import { defineProtocol } from '../core/fields.js';
import { registerFast, fastFromTable } from '../core/fast.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';

const P = defineProtocol('raw', 'Raw packet data');

const rawHandle = registerDissector('raw', 'Raw packet data', (tvb, off, pinfo, tree) => {
  pinfo.layers.push('raw');
  pinfo.setProto('Raw');
  pinfo.setInfo('Raw packet data');
  if (tree) tree.add(P, off, 0, null, 'Raw packet data');
  const v = tvb.u8(off) >> 4;
  dissectFromTable('raw.version', v, tvb, off, pinfo, tree);
});

const T_RAW_VERSION = table('raw.version');
table('wtap_encap', 'Link type').add(101, rawHandle);
table('wtap_encap').add(228, 'ip');
registerFast('raw', (off, end, st) => off < end && fastFromTable(T_RAW_VERSION, st.buf[off]! >> 4, off, end, st));

const t = table('raw.version', 'Raw IP version nibble');
t.add(4, 'ip');
t.add(6, 'ipv6');
