// CBU certificate checks (spec §5, §7): chain to the keyring's trust anchors
// (through certificates seen earlier in the capture, e.g. Cert_HA for Cert_MN),
// validity at the packet's capture time, and an address inside the certificate's
// RFC 3779 prefix or equal to its subjectAltName iPAddress. Chain signatures are
// checked with node:crypto's X509Certificate; parsing is cert.ts's (@peculiar/x509).
import { X509Certificate } from 'node:crypto';
import { decodeCertificate, type CertInfo } from '../dissectors/cbu/cert.js';
import { escapeText } from '../core/escape.js';

/** A certificate's subject for messages (text from the packet: escaped). */
const subj = (c: X509Certificate) => escapeText(c.subject.replace(/\n/g, ', '));
import type { Verdict } from './api.js';

const nodeCerts = new Map<string, X509Certificate | null>();

/** node:crypto view of a DER certificate (cached; null when it does not parse). */
export function nodeCert(der: Buffer): X509Certificate | null {
  const k = der.toString('latin1');
  let c = nodeCerts.get(k);
  if (c === undefined) {
    try {
      c = new X509Certificate(der);
    } catch {
      c = null;
    }
    if (nodeCerts.size > 256) nodeCerts.clear();
    nodeCerts.set(k, c);
  }
  return c;
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

export interface ChainResult {
  verdict: Verdict;
  why?: string;
  /** certificates from the leaf up to (not including) the anchor */
  path: X509Certificate[];
}

/** Chain `leaf` to one of `anchors`, using `pool` (certificates seen so far) as intermediates. */
export function chainToAnchor(leaf: Buffer, anchors: X509Certificate[], pool: Iterable<Buffer>): ChainResult {
  const c = nodeCert(leaf);
  if (!c) return { verdict: 'fail', why: 'the certificate does not parse', path: [] };
  if (!anchors.length) return { verdict: 'not checked', why: 'no trust anchor configured', path: [c] };
  const list = [...pool];
  const path = [c];
  let cur = c;
  for (let depth = 0; depth < 8; depth++) {
    // the leaf may be the anchor itself
    if (anchors.some((a) => a.raw.equals(cur.raw))) return { verdict: 'ok', path: path.slice(0, -1) };
    if (anchors.some((a) => issuedBy(cur, a))) return { verdict: 'ok', path };
    let next: X509Certificate | null = null;
    for (const der of list) {
      const p = nodeCert(der);
      if (p && !p.raw.equals(cur.raw) && !path.some((q) => q.raw.equals(p.raw)) && issuedBy(cur, p)) {
        next = p;
        break;
      }
    }
    if (!next) {
      return { verdict: 'fail', why: `${subj(cur)} is not signed by a trust anchor or by a certificate seen earlier`, path };
    }
    path.push(next);
    cur = next;
  }
  return { verdict: 'fail', why: 'chain longer than 8 certificates', path };
}

/** Every certificate of `path` inside its validity at `tSec` (capture time, §7). */
export function validityAt(path: X509Certificate[], tSec: number): { verdict: Verdict; why?: string } {
  for (const c of path) {
    const nb = Date.parse(c.validFrom) / 1000;
    const na = Date.parse(c.validTo) / 1000;
    if (!(tSec >= nb && tSec <= na)) {
      return {
        verdict: 'fail',
        why: `${subj(c)} is valid ${new Date(nb * 1000).toISOString()} to ${new Date(na * 1000).toISOString()}, the packet is of ${new Date(tSec * 1000).toISOString()}`,
      };
    }
  }
  return { verdict: 'ok' };
}

function inPrefix(addr: Buffer, prefix: Buffer, plen: number): boolean {
  const whole = plen >> 3;
  if (!addr.subarray(0, whole).equals(prefix.subarray(0, whole))) return false;
  const rem = plen & 7;
  if (!rem) return true;
  const m = (0xff << (8 - rem)) & 0xff;
  return (addr[whole]! & m) === (prefix[whole]! & m);
}

/** Address inside the certificate's RFC 3779 IPv6 prefix, or equal to a subjectAltName iPAddress. */
export function addressInCert(info: CertInfo, addr: Buffer): { verdict: Verdict; why?: string } {
  if (info.error) return { verdict: 'fail', why: 'the certificate does not parse' };
  const blocks = (info.ipBlocks ?? []).filter((b) => b.afi === 2 && b.prefix && b.plen !== undefined);
  const sans = info.sanIps ?? [];
  if (!blocks.length && !sans.length) return { verdict: 'fail', why: 'the certificate carries neither an RFC 3779 IPv6 prefix nor a subjectAltName iPAddress' };
  if (blocks.some((b) => inPrefix(addr, b.prefix!, b.plen!)) || sans.some((s) => s.equals(addr))) return { verdict: 'ok' };
  const what = [...blocks.map((b) => b.text), ...sans.map(() => 'subjectAltName iPAddress')].join(', ');
  return { verdict: 'fail', why: `not inside ${what}` };
}

export { decodeCertificate };
