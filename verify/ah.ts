// AH ICV (RFC 4302 3.3.3) with the keyring's `esp` entries (spec §6: the SPI finds
// the SA; its `auth` and `authKey` apply). The ICV covers the packet as the
// receiver sees it: traffic class, flow label and hop limit zeroed, option data of
// options whose type has the "may change" bit zeroed, the ICV field zeroed. Mobile
// IPv6 rules: RFC 6275 6.3 (computed as if the source were the home address and the
// Home Address option held the care-of address) and 6.4 (type 2 routing header as
// at the destination: destination = home address, the header's address = care-of
// address, segments left 0). One copy of the packet, made only when an SA is known.
import { registerAnalyzer, type Engine } from '../core/engine.js';
import type { PacketInfo, IpLayer } from '../core/packet.js';
import { keyringOf, findEsp, type Keyring } from '../keyring/types.js';
import { hmacIcv, ICV_LEN } from '../crypto/esp.js';
import { timingSafeEqual } from 'node:crypto';
import { ipsecChecks } from './esp.js';

const HBH = 0, RH = 43, DST = 60, AH = 51;

/** Verifies the AH of one IPv6 layer; null when there is none or it cannot be read whole. */
export function checkAh(k: Keyring, buf: Buffer, ipOff: number): { spi: number; verdict: 'ok' | 'fail' | 'unverifiable'; why?: string } | null {
  if (ipOff + 40 > buf.length) return null;
  const end = ipOff + 40 + buf.readUInt16BE(ipOff + 4);
  if (end > buf.length) return null;
  let nh = buf[ipOff + 6]!;
  let p = ipOff + 40;
  const mutable: Array<[number, number]> = [];
  let hao: number | null = null;
  let rh2: number | null = null;
  while (nh === HBH || nh === RH || nh === DST) {
    if (p + 8 > end) return null;
    const hlen = (buf[p + 1]! + 1) * 8;
    if (p + hlen > end) return null;
    if (nh === RH) {
      if (buf[p + 2] === 2 && hlen === 24) rh2 = p + 8;
    } else {
      for (let o = p + 2; o < p + hlen;) {
        const t = buf[o]!;
        if (t === 0) { o++; continue; }
        if (o + 2 > p + hlen) return null;
        const l = buf[o + 1]!;
        if (o + 2 + l > p + hlen) return null;
        if (t & 0x20) mutable.push([o + 2, l]);
        if (nh === DST && t === 0xc9 && l === 16) hao = o + 2;
        o += 2 + l;
      }
    }
    nh = buf[p]!;
    p += hlen;
  }
  if (nh !== AH || p + 12 > end) return null;
  const spi = buf.readUInt32BE(p + 4);
  const sa = findEsp(k, spi);
  if (!sa || sa.auth === 'none') return { spi, verdict: 'unverifiable' };
  const ahLen = (buf[p + 1]! + 2) * 4;
  const n = ICV_LEN[sa.auth];
  if (ahLen < 12 + n || p + ahLen > end) return { spi, verdict: 'fail', why: `AH length ${ahLen} cannot hold a ${n}-octet ICV` };
  const v = Buffer.from(buf.subarray(ipOff, end));
  const at = (x: number) => x - ipOff;
  v[0] = v[0]! & 0xf0;
  v[1] = v[2] = v[3] = 0;
  v[7] = 0;
  for (const [o, l] of mutable) v.fill(0, at(o), at(o) + l);
  if (hao !== null) {
    buf.copy(v, 8, hao, hao + 16);
    buf.copy(v, at(hao), ipOff + 8, ipOff + 24);
  }
  if (rh2 !== null) {
    buf.copy(v, 24, rh2, rh2 + 16);
    buf.copy(v, at(rh2), ipOff + 24, ipOff + 40);
    v[at(rh2) - 5] = 0;
  }
  v.fill(0, at(p) + 12, at(p) + ahLen);
  const exp = hmacIcv(sa.auth, sa.authKey, [v]);
  const got = buf.subarray(p + 12, p + 12 + n);
  return timingSafeEqual(exp, got) ? { spi, verdict: 'ok' } : { spi, verdict: 'fail', why: `${sa.auth} ICV does not verify with ${sa.where}` };
}

registerAnalyzer({
  name: 'verify.ah',
  order: 39,
  create(engine: Engine) {
    const k = keyringOf(engine);
    if (!k || k.esp.length === 0) return null;
    return {
      packet(pinfo: PacketInfo) {
        if (!pinfo.layers.includes('ah')) return;
        for (const ip of pinfo.ipStack as IpLayer[]) {
          if (ip.version !== 6 || !ip.chain.includes(AH)) continue;
          const r = checkAh(k, pinfo.raw.data, ip.offset);
          if (r) ipsecChecks(pinfo).push({ proto: 'ah', ...r });
          break;
        }
      },
    };
  },
});
