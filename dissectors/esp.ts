// Encapsulating Security Payload (50, RFC 4303): SPI and sequence number; the rest
// is opaque unless a decryptor (the ESP-decryption module, keyed by the keyring)
// returns the plaintext, which is then dissected as a new data source via table
// `ipv6.nxt` with ip.protectedBy = 'esp'.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, table } from '../core/tables.js';
import { registerFast } from '../core/fast.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { Tvb } from '../core/tvb.js';
import { IP_PROTO_NAMES } from './ipproto.js';
import { ipOf, nextHeader, inErrorPacket } from './ipv6.js';

const P = defineProtocol('esp', 'Encapsulating Security Payload');
const F = fieldMaker('esp');
export const hf = {
  spi: F('esp.spi', 'ESP SPI', 'uint32', { base: 'hex_dec' }),
  seq: F('esp.sequence', 'ESP Sequence', 'uint32'),
  padLen: F('esp.pad_len', 'ESP Pad Length', 'uint8'),
  protocol: F('esp.protocol', 'ESP Next Header', 'uint8', { base: 'hex', vals: IP_PROTO_NAMES }),
  icvGood: F('esp.icv_good', 'Good', 'bool'),
  icvBad: F('esp.icv_bad', 'Bad', 'bool'),
};

export interface EspPlain {
  /** Next Header from the ESP trailer */
  nextHeader: number;
  /** the decrypted payload without padding, pad length, next header and ICV */
  plaintext: Buffer;
  padLength?: number;
  /** ICV verdict when the SA has integrity: true good, false bad */
  icvOk?: boolean | null;
}

/** payload = everything after SPI and sequence number (IV, ciphertext, ICV) */
export type EspDecryptor = (spi: number, seq: number, payload: Buffer, pinfo: PacketInfo) => EspPlain | null;

const decryptors: EspDecryptor[] = [];

/** Register a decryptor; the first one that returns plaintext wins. */
export function registerEspDecryptor(fn: EspDecryptor): void {
  decryptors.push(fn);
}

const h = registerDissector('esp', 'ESP', (tvb, off, pinfo, tree, data) => {
  const ip = ipOf(pinfo, data);
  tvb.check(off, 8, 'ESP header');
  const spi = tvb.u32(off);
  const seq = tvb.u32(off + 4);
  pinfo.layers.push('esp');
  const err = inErrorPacket(pinfo);
  if (!err) {
    pinfo.setProto('ESP');
    pinfo.setInfo(`ESP (SPI=0x${spi.toString(16).padStart(8, '0')})`);
  }
  let t: Item | null = null;
  if (tree) {
    t = tree.add(P, off, tvb.end - off, null);
    t.add(hf.spi, off, 4, spi);
    t.add(hf.seq, off + 4, 4, seq);
  }
  if (ip) ip.protectedBy = 'esp';
  if (err || decryptors.length === 0 || tvb.end < tvb.rend) return;
  const payload = tvb.buf.subarray(off + 8, tvb.end);
  let plain: EspPlain | null = null;
  for (const d of decryptors) {
    try {
      plain = d(spi, seq, payload, pinfo);
    } catch (e) {
      pinfo.addExpert('warning', 'esp.decrypt_error', `ESP decryption failed: ${(e as Error).message}`, t, 'decryption');
    }
    if (plain) break;
  }
  if (!plain) return;
  if (t) {
    if (plain.padLength !== undefined) t.add(hf.padLen, off, 0, plain.padLength).generated = true;
    t.add(hf.protocol, off, 0, plain.nextHeader).generated = true;
    if (plain.icvOk === true) t.add(hf.icvGood, off, 0, true).generated = true;
    if (plain.icvOk === false) t.add(hf.icvBad, off, 0, true).generated = true;
  }
  const ds = pinfo.sources.push({ name: 'Decrypted ESP', buf: plain.plaintext });
  const rt = new Tvb(plain.plaintext, plain.plaintext.length, plain.plaintext.length, ds);
  const from = tree?.children?.length ?? 0;
  const ipFrom = ip?.item?.children?.length ?? 0;
  // tshark shows the decrypted layers at the top level, after ESP, not inside IPv6
  const ipItem = ip?.item ?? null;
  if (ip) ip.item = null;
  try {
    nextHeader(plain.nextHeader, rt, 0, pinfo, tree, ip);
  } finally {
    if (ip) ip.item = ipItem;
  }
  for (const [items, start] of [[tree?.children, from], [ip?.item?.children, ipFrom]] as const) {
    if (items) for (let i = start; i < items.length; i++) for (const it of items[i]!.walk()) it.ds = ds;
  }
});

table('ipv6.nxt', 'IPv6 next header').add(50, h);
table('ip.proto', 'IP protocol').add(50, h);

// summary fast path (core/fast.ts): the header only. Decryption needs a keyring,
// and a keyring brings analyzers, which keep the fast path off (cli/sink.ts).
registerFast('esp', (off, end, st) => {
  if (end - off < 8) return false;
  const spi = st.buf.readUInt32BE(off);
  st.proto = 'ESP';
  st.info = `ESP (SPI=0x${spi.toString(16).padStart(8, '0')})`;
  return true;
});
