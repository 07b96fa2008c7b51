// In-process dissection for tests: load every module, dissect bytes, look fields up.
import { loadPlugins } from '../../core/plugins.js';
import { Engine } from '../../core/engine.js';
import type { PacketInfo, RawPacket } from '../../core/packet.js';
import { jsonValue } from '../../core/format.js';
import { openCapture } from '../../readers/open.js';

export async function ready(): Promise<void> {
  const errs = await loadPlugins();
  if (errs.length) throw new Error(errs.join('\n'));
}

export function raw(data: Buffer | Uint8Array, linktype = 1, extra: Partial<RawPacket> = {}): RawPacket {
  const b = Buffer.from(data);
  return { tsSec: 1700000000, tsNsec: 0, caplen: b.length, origlen: b.length, linktype, data: b, ...extra };
}

/** Dissect one packet with a tree. */
export async function dissect(data: Buffer | Uint8Array, linktype = 1, engine = new Engine()): Promise<PacketInfo> {
  await ready();
  return engine.dissect(raw(data, linktype), 1, true);
}

/** Dissect every packet of a capture file. */
export async function dissectFile(path: string, opts: { keyring?: unknown; passes?: number } = {}): Promise<PacketInfo[]> {
  await ready();
  const engine = new Engine({ keyring: opts.keyring, passes: opts.passes });
  const out: PacketInfo[] = [];
  const cap = openCapture(path);
  let n = 0;
  for (const r of cap.packets) out.push(engine.dissect(r, ++n, true));
  cap.source.close();
  return out;
}

/** All display values of a field in a packet (tshark -T fields semantics). */
export function values(p: PacketInfo, abbrev: string): string[] {
  const out: string[] = [];
  if (!p.tree) return out;
  for (const it of p.tree.walk()) if (it.field?.abbrev === abbrev) out.push(jsonValue(it.field, it.value));
  return out;
}

export function value(p: PacketInfo, abbrev: string): string | undefined {
  return values(p, abbrev)[0];
}
