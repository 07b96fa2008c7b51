// Bench capture: N packets cycled from template packets (every fixture capture of
// the Mobility Header, option, extension and IPv6 suites, plus the craft
// scenarios), written as one Ethernet µs pcap with increasing timestamps.
import * as fs from 'node:fs';
import { join } from 'node:path';
import { openCapture } from '../readers/open.js';
import { parseScenario } from '../craft/scenario.js';
import { craft } from '../craft/build.js';

const TEMPLATE_DIRS = ['mip6', 'mip6-options', 'ext', 'ipv6', 'verify', 'analysis'];

function asEthernet(linktype: number, data: Buffer): Buffer | null {
  if (linktype === 1) return data;
  if (linktype === 101 || linktype === 229) {
    const h = Buffer.alloc(14);
    h[5] = 1;
    h[11] = 2;
    h.writeUInt16BE(0x86dd, 12);
    return Buffer.concat([h, data]);
  }
  return null;
}

export async function loadTemplates(root: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const d of TEMPLATE_DIRS) {
    const dir = join(root, 'fixtures', d);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (!/\.pcap(ng)?$/.test(f) || /trunc|bad|malformed|hostile|garbage/i.test(f)) continue;
      try {
        const cap = openCapture(join(dir, f));
        for (const p of cap.packets) {
          const e = asEthernet(p.linktype, Buffer.from(p.data));
          if (e && p.caplen === p.origlen) out.push(e);
        }
        cap.source.close();
      } catch {
        /* a broken fixture is not a template */
      }
    }
  }
  for (const f of ['rr-exchange.json', 'static-kcn.json']) {
    const path = join(root, 'fixtures', 'craft', f);
    const doc = JSON.parse(fs.readFileSync(path, 'utf8'));
    const kr = typeof doc.keyring === 'string' ? JSON.parse(fs.readFileSync(join(root, 'fixtures', 'craft', doc.keyring), 'utf8')) : doc.keyring;
    for (const p of await craft(parseScenario(doc, kr))) {
      const e = asEthernet(doc.linktype ?? 1, p.data);
      if (e) out.push(e);
    }
  }
  return out;
}

/** Write `n` packets to `path`; returns the file size. */
export function writeBenchCapture(path: string, n: number, templates: Buffer[]): number {
  const fd = fs.openSync(path, 'w');
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(1, 20);
  fs.writeSync(fd, h);
  let size = 24;
  const chunk: Buffer[] = [];
  let chunkLen = 0;
  const t0 = 1704067200;
  for (let i = 0; i < n; i++) {
    const d = templates[i % templates.length]!;
    const r = Buffer.allocUnsafe(16);
    const us = i * 50; // 20,000 packets per second of capture time
    r.writeUInt32LE(t0 + Math.floor(us / 1e6), 0);
    r.writeUInt32LE(us % 1e6, 4);
    r.writeUInt32LE(d.length, 8);
    r.writeUInt32LE(d.length, 12);
    chunk.push(r, d);
    chunkLen += 16 + d.length;
    if (chunkLen > 1 << 22) {
      fs.writeSync(fd, Buffer.concat(chunk));
      size += chunkLen;
      chunk.length = 0;
      chunkLen = 0;
    }
  }
  fs.writeSync(fd, Buffer.concat(chunk));
  size += chunkLen;
  fs.closeSync(fd);
  return size;
}
