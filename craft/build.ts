// Turn a scenario into packets. The message modules in craft/messages/ build the
// upper layer (MH or ICMPv6) and its addressing; this file assembles the IPv6
// chain around it (Home Address option, type 2 routing header, IPv6-in-IPv6 via a
// home agent, Ethernet), lets the module fill packet-wide MACs, then sets the
// checksum and applies the generic overrides that break a packet on purpose.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Scenario } from './scenario.js';
import { ScenarioError } from './scenario.js';
import { destOptsHao, routingType2, ipv6Header, ethernet } from './encode.js';
import { ipv6Checksum } from '../dissectors/inet_cksum.js';
import { craftMessage, craftMessageNames, craftPrepares, type CraftContext } from './registry.js';
import { hex, num } from './values.js';

export interface CraftedPacket {
  t: number;
  data: Buffer;
  /** what was filled in (for explanations in tests) */
  notes: string[];
}

let loaded: Promise<void> | null = null;

/** The build's bundle (scripts/postbuild.mjs) has imported every message module already. */
export function craftPreloaded(): void {
  loaded = Promise.resolve();
}

/** Import every message module once (each registers itself). */
export function loadCraftModules(): Promise<void> {
  if (loaded) return loaded;
  loaded = (async () => {
    const here = fileURLToPath(import.meta.url);
    const ext = here.endsWith('.ts') ? '.ts' : '.js';
    const dir = join(dirname(here), 'messages');
    for (const n of readdirSync(dir).sort()) {
      if (n.endsWith(ext) && !n.endsWith('.d.ts')) await import(pathToFileURL(join(dir, n)).href);
    }
  })();
  return loaded;
}

export async function craft(sc: Scenario): Promise<CraftedPacket[]> {
  await loadCraftModules();
  const state = new Map<string, any>();
  for (const prep of craftPrepares()) await prep(sc, state);
  return sc.packets.map((p, i) => buildOne(sc, i, state));
}

function buildOne(sc: Scenario, i: number, state: Map<string, any>): CraftedPacket {
  const p = sc.packets[i]!;
  const w = `packets[${i}]`;
  const m = craftMessage(p.msg);
  if (!m) throw new ScenarioError(`${w}.msg: "${p.msg}" is not one of ${craftMessageNames().join(', ')}`);
  const from = sc.hosts.get(p.from)!;
  const to = sc.hosts.get(p.to)!;
  const ctx: CraftContext = { sc, p, w, from, to, notes: [], state };
  const ul = m.build(ctx);
  const hao = ul.hao ?? null;
  const rh2 = ul.rh2 ?? null;

  // IPv6 header chain
  let ext: Buffer[] = [];
  let nxt = ul.nxt;
  if (hao) { ext.unshift(destOptsHao(nxt, hao)); nxt = 60; }
  if (rh2) { ext.unshift(routingType2(nxt, rh2)); nxt = 43; }
  const extLen = ext.reduce((n, b) => n + b.length, 0);
  let ip = Buffer.concat([ipv6Header(nxt, extLen + ul.payload.length, ul.src, ul.dst, ul.hlim ?? p.hlim), ...ext, ul.payload]);
  const ulOff = 40 + extLen;
  ul.finish?.(ip, ulOff, { src: ul.src, dst: ul.dst, hao, rh2 });

  // generic byte patches, after the MACs: {"bytes": {"12": "ff"}} (offsets into the upper layer)
  const patches = p.override.bytes;
  if (patches !== undefined) {
    if (!patches || typeof patches !== 'object') throw new ScenarioError(`${w}.override.bytes: an object of offset: hex`);
    for (const [k, v] of Object.entries(patches as Record<string, unknown>)) {
      const off = num(Number(k), `${w}.override.bytes.${k}`, ul.payload.length - 1);
      const b = hex(v, `${w}.override.bytes.${k}`);
      if (off + b.length > ul.payload.length) throw new ScenarioError(`${w}.override.bytes.${k}: runs past the message (${ul.payload.length} octets)`);
      b.copy(ip, ulOff + off);
    }
  }

  // checksum: the pseudo-header uses the HoA (HAO) and the final destination (RH2)
  if (ul.checksumAt >= 0) {
    ip.writeUInt16BE(0, ulOff + ul.checksumAt);
    const c = ipv6Checksum(hao ?? ul.src, rh2 ?? ul.dst, ul.nxt, ip, ulOff, ip.length - ulOff, ulOff + ul.checksumAt);
    ip.writeUInt16BE(c, ulOff + ul.checksumAt);
    if (p.override.checksum !== undefined) ip.writeUInt16BE(num(p.override.checksum, `${w}.override.checksum`, 0xffff), ulOff + ul.checksumAt);
  }

  let l2src = from.mac, l2dst = to.mac;
  // a multicast IPv6 destination (ND, ff02::1) maps to 33:33 + its last 32 bits (RFC 2464 7)
  if (ul.dst[0] === 0xff) l2dst = Buffer.concat([Buffer.from([0x33, 0x33]), ul.dst.subarray(12, 16)]);
  if (p.via) {
    // IPv6-in-IPv6 through the home agent: MN → HA (reverse tunnel) or HA → MN
    const via = sc.hosts.get(p.via)!;
    const outbound = !from.addr;
    const tunnelSrc = outbound ? from.coa ?? from.addr! : via.addr ?? via.hoa!;
    const tunnelDst = outbound ? via.addr ?? via.hoa! : to.coa ?? to.addr!;
    ip = Buffer.concat([ipv6Header(41, ip.length, tunnelSrc, tunnelDst), ip]);
    if (outbound) l2dst = via.mac; else l2src = via.mac;
  }
  if (p.override.truncate !== undefined) ip = ip.subarray(0, num(p.override.truncate, `${w}.override.truncate`, ip.length));
  const data = sc.linktype === 1 ? ethernet(l2dst, l2src, ip) : ip;
  return { t: sc.start + p.t, data, notes: ctx.notes };
}
