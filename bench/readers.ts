// Reader benchmark: our streaming pcap reader against pcap-parser (the npm
// package we did not adopt) on the same generated µs pcap, packets/s and ratio;
// then what pcap-parser does with a ns pcap and a pcapng (it reads neither).
import * as fs from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { openCapture } from '../readers/open.js';

const require = createRequire(import.meta.url);

/** A µs Ethernet/IPv6/UDP pcap of n packets (little-endian), 100-octet frames. */
export function writeMicroPcap(path: string, n: number, nanosecond = false): number {
  const frame = Buffer.alloc(100);
  Buffer.from('02aabbccddee00112233445586dd', 'hex').copy(frame, 0);
  frame[14] = 0x60;
  frame.writeUInt16BE(46, 18);
  frame[20] = 17;
  frame[21] = 64;
  const fd = fs.openSync(path, 'w');
  const h = Buffer.alloc(24);
  h.writeUInt32LE(nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(1, 20);
  fs.writeSync(fd, h);
  const per = 16 + frame.length;
  const batch = Buffer.alloc(per * 4096);
  let written = 24;
  for (let i = 0; i < n; ) {
    const k = Math.min(4096, n - i);
    for (let j = 0; j < k; j++, i++) {
      const o = j * per;
      batch.writeUInt32LE(1700000000 + Math.floor(i / 1000), o);
      batch.writeUInt32LE((i % 1000) * (nanosecond ? 1000000 : 1000), o + 4);
      batch.writeUInt32LE(frame.length, o + 8);
      batch.writeUInt32LE(frame.length, o + 12);
      frame.writeUInt32BE(i, 60);
      frame.copy(batch, o + 16);
    }
    written += fs.writeSync(fd, batch, 0, k * per);
  }
  fs.closeSync(fd);
  return written;
}

function ours(path: string): { n: number; bytes: number } {
  const cap = openCapture(path);
  let n = 0, bytes = 0;
  for (const p of cap.packets) {
    n++;
    bytes += p.data[p.data.length - 1]! + p.caplen; // touch the data
  }
  cap.source.close();
  return { n, bytes };
}

function pcapParser(path: string): Promise<{ n: number; error?: string }> {
  const pp = require('pcap-parser');
  return new Promise((resolve) => {
    let n = 0;
    let error: string | undefined;
    const p = pp.parse(path);
    p.on('packet', (pkt: { data: Buffer }) => { n += pkt.data.length > 0 ? 1 : 0; });
    p.on('error', (e: Error) => { error = e.message; });
    p.on('end', () => resolve({ n, error }));
  });
}

async function time<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t0) / 1e9];
}

export async function runReadersBench(n = 200000, rounds = 5): Promise<string[]> {
  const dir = process.env.TMPDIR ?? '/tmp';
  const us = join(dir, `mip6scope-readers-${n}.pcap`);
  const size = writeMicroPcap(us, n);
  const out: string[] = [];
  out.push(`capture: ${n.toLocaleString('en')} packets, ${(size / 1e6).toFixed(1)} MB µs pcap (${us})`);
  let best = [Infinity, Infinity];
  for (let r = 0; r < rounds; r++) {
    const [a, ta] = await time(() => ours(us));
    const [b, tb] = await time(() => pcapParser(us));
    if (a.n !== n || b.n !== n) throw new Error(`packet counts differ: ours ${a.n}, pcap-parser ${b.n}, expected ${n}`);
    best = [Math.min(best[0]!, ta), Math.min(best[1]!, tb)];
  }
  const [ta, tb] = best as [number, number];
  out.push(`mip6scope reader: ${(n / ta / 1e6).toFixed(2)} M packets/s (${(ta * 1000).toFixed(0)} ms, best of ${rounds})`);
  out.push(`pcap-parser 0.2.1: ${(n / tb / 1e6).toFixed(2)} M packets/s (${(tb * 1000).toFixed(0)} ms, best of ${rounds})`);
  out.push(`ratio: ${(tb / ta).toFixed(1)}x`);
  // formats pcap-parser cannot read
  const ns = join(dir, 'mip6scope-readers-ns.pcap');
  writeMicroPcap(ns, 10, true);
  const rn = await pcapParser(ns);
  out.push(`ns pcap: mip6scope ${ours(ns).n} packets; pcap-parser ${rn.n} packets${rn.error ? ` (error: ${rn.error})` : ''}`);
  const ng = join(process.cwd(), 'fixtures', 'readers', 'ng_basic_le.pcapng');
  if (fs.existsSync(ng)) {
    const rg = await pcapParser(ng);
    out.push(`pcapng: mip6scope ${ours(ng).n} packets; pcap-parser ${rg.n} packets${rg.error ? ` (error: ${rg.error})` : ''}`);
  }
  fs.rmSync(us, { force: true });
  fs.rmSync(ns, { force: true });
  return out;
}
