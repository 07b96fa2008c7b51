// ESP with the keyring's `esp` entries (spec §6, issue 7): the decryptor the ESP
// dissector calls (dissectors/esp.ts). The SPI alone finds the SA (§7). A good ICV
// (or GCM tag) gives the plaintext back, which the ESP dissector dissects like a
// clear packet (protectedBy 'esp'): the inner MH fills pinfo.data.mip6 for every
// other verifier. A wrong key or altered packet fails `esp_icv` and leaves the
// payload opaque. The verdict is recorded by the IPsec analyzer below, so it hangs
// under the ESP item (tshark puts [Good]/[Bad] there) and shows in -V and --json.
import { registerEspDecryptor } from '../dissectors/esp.js';
import { registerAnalyzer, type Engine } from '../core/engine.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { keyringOf, findEsp } from '../keyring/types.js';
import { espOpen } from '../crypto/esp.js';
import { recordVerdict, type Verdict } from './api.js';

/** What the ESP/AH checks of one frame found (pinfo.data.ipsec), read by the analyzer. */
export interface IpsecCheck {
  proto: 'esp' | 'ah';
  spi: number;
  verdict: Verdict;
  /** the failure explained (no key material in it) */
  why?: string;
}

export function ipsecChecks(pinfo: PacketInfo): IpsecCheck[] {
  return (pinfo.data.ipsec ??= []) as IpsecCheck[];
}

const spiText = (spi: number) => `0x${spi.toString(16).padStart(8, '0')}`;

registerEspDecryptor((spi, seq, payload, pinfo) => {
  const engine = pinfo.data.engine as Engine | undefined;
  const k = engine ? keyringOf(engine) : null;
  if (!k) return null;
  const sa = findEsp(k, spi);
  const checks = ipsecChecks(pinfo);
  if (!sa) {
    checks.push({ proto: 'esp', spi, verdict: 'unverifiable' });
    return null;
  }
  // the SPI and sequence number sit just before the payload in the same buffer
  const hdr = Buffer.alloc(8);
  hdr.writeUInt32BE(spi, 0);
  hdr.writeUInt32BE(seq, 4);
  const r = espOpen(sa, hdr, payload);
  if (!r.ok) {
    const why = r.why === 'icv' ? (sa.encryption === 'aes-gcm' ? 'AES-GCM tag does not verify' : `${sa.auth} ICV does not verify`)
      : r.why === 'pad' ? 'padding after decryption is wrong (wrong key?)' : `payload too short for ${sa.encryption}/${sa.auth}`;
    checks.push({ proto: 'esp', spi, verdict: 'fail', why: `${why} with ${sa.where}` });
    return null;
  }
  if (r.icv === 'ok') checks.push({ proto: 'esp', spi, verdict: 'ok' });
  return { nextHeader: r.nextHeader, plaintext: r.plaintext, padLength: r.padLength, icvOk: r.icv === 'ok' ? true : null };
});

/** Puts the ESP/AH verdicts of a frame on the ESP/AH item (or the MH item). */
class IpsecVerdicts {
  packet(pinfo: PacketInfo, tree: Item | null): void {
    const checks = pinfo.data.ipsec as IpsecCheck[] | undefined;
    if (!checks) return;
    for (const c of checks) {
      const item = tree ? (tree.find(c.proto) ?? tree) : null;
      const name = c.proto === 'esp' ? 'ESP' : 'AH';
      recordVerdict(pinfo, 'esp_icv', c.verdict, {
        item,
        message: () => `${name} ICV of SPI ${spiText(c.spi)} does not verify: ${c.why ?? 'ICV mismatch'}${c.proto === 'esp' ? '; payload left opaque' : ''}`,
      });
    }
  }
}

registerAnalyzer({
  name: 'verify.esp',
  order: 40,
  create(engine) {
    return keyringOf(engine) ? new IpsecVerdicts() : null;
  },
});
