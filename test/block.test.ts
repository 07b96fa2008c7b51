// Shared subtrees (core/block.ts) may change nothing but speed: every fixture
// packet, and mutated copies, must print the same -V text, plain -T json and
// field values whether its Ethernet and IPv6 header items are built afresh or
// taken from a block another packet made, and a block must not keep views into
// a packet's buffer (the reader reuses it).
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import fc from 'fast-check';
import { ready } from './util/dissect.js';
import { ROOT } from './util/cli.js';
import { loadFixturePackets, applyMutations, mutationArb, type Template } from '../bench/fuzzlib.js';
import { Engine } from '../core/engine.js';
import { blockSharing, BlockCache, blockFrame } from '../core/block.js';
import { Item } from '../core/tree.js';
import { getField } from '../core/fields.js';
import { treeText } from '../output/text.js';
import { plainLayers } from '../output/json_plain.js';
import { jsonValue } from '../core/format.js';
import { ipv6ToString } from '../core/addr.js';
import { setPref, resetPrefs, applyPrefs } from '../core/prefs.js';
import { applyDecodeAs, table } from '../core/tables.js';
import type { RawPacket } from '../core/packet.js';

let packets: Template[] = [];
beforeAll(async () => {
  await ready();
  packets = loadFixturePackets(ROOT, 64);
});
afterEach(() => {
  blockSharing.on = true;
  resetPrefs();
  applyPrefs();
  for (const t of ['mip6.mhtype', 'ethertype']) table(t).clearDecodeAs();
});

/** -V text, plain JSON and every field value of one packet, dissected by a fresh engine */
function render(raw: RawPacket): string {
  const p = new Engine().dissect(raw, 1, true);
  const vals: string[] = [];
  if (p.tree) for (const x of p.tree.walk()) if (x.field) vals.push(x.field.abbrev + '=' + jsonValue(x.field, x.value));
  return treeText(p) + '\n' + plainLayers(p.tree?.children ?? [], 6) + '\n' + vals.join('\n');
}

function afresh(raw: RawPacket): string {
  blockSharing.on = false;
  try {
    return render(raw);
  } finally {
    blockSharing.on = true;
  }
}

describe('shared subtrees', () => {
  it('print every fixture packet exactly as fresh items do, on first use and when shared', () => {
    let shared = 0;
    for (const t of packets) {
      const want = afresh(t.raw);
      // first: the packet may make the block; second: it takes it
      expect(render(t.raw)).toBe(want);
      const p = new Engine().dissect(t.raw, 1, true);
      if (p.tree?.children?.some((x) => x.block !== null || x.children?.some((y) => y.block !== null))) shared++;
      expect(render(t.raw)).toBe(want);
    }
    // the Ethernet and IPv6 headers of most fixture packets are shared
    expect(shared).toBeGreaterThan(packets.length / 2);
  });

  it('are made for the frame lengths, Ethernet, the IPv6 header and the MH fixed fields', () => {
    const t = packets.find((x) => x.raw.linktype === 1 && new Engine().dissect(x.raw, 1, false).layers.includes('mipv6'))!;
    render(t.raw);
    const p = new Engine().dissect(t.raw, 1, true);
    const withBlock = [...p.tree!.walk()].filter((x) => x.block !== null).map((x) => x.field?.abbrev);
    expect(withBlock).toEqual(expect.arrayContaining(['frame', 'eth', 'ipv6', 'mipv6']));
    const frame = p.tree!.children![0]!;
    expect(frame.children!.slice(frame.blockAt, frame.blockAt + 4).map((x) => x.field!.abbrev)).toEqual(['frame.len', 'frame.cap_len', 'frame.marked', 'frame.ignored']);
  });

  it("are made for a Binding Update's flags and for a list of padding options", () => {
    const bus = packets.filter((x) => new Engine().dissect(x.raw, 1, false).data.mip6?.type === 5);
    let flags = 0;
    let pads = 0;
    for (const t of bus) {
      render(t.raw);
      const p = new Engine().dissect(t.raw, 1, true);
      for (const it of p.tree!.walk()) {
        if (it.text === 'Binding Update' && it.block) {
          expect(it.block.items.map((x) => x.field!.abbrev)).toEqual(['mip6.bu.a_flag', 'mip6.bu.h_flag', 'mip6.bu.l_flag', 'mip6.bu.k_flag', 'mip6.bu.m_flag', 'mip6.nemo.bu.r_flag', 'mip6.bu.p_flag', 'mip6.bu.f_flag', 'mip6.bu.t_flag', 'mip6.bu.b_flag']);
          flags++;
        }
        if (it.text === 'Mobility Options' && it.block) pads++;
      }
    }
    expect(flags).toBeGreaterThan(5);
    expect(pads).toBeGreaterThan(0);
  });

  it('are made for a Destination Options header, and the Home Address still names the source', () => {
    const t = packets.find((x) => {
      const p = new Engine().dissect(x.raw, 1, false);
      return p.layers.includes('ipv6.dstopts') && p.ip?.hoa && p.expert.length === 0;
    })!;
    const want = afresh(t.raw);
    render(t.raw);
    const p = new Engine().dissect(t.raw, 1, true);
    const d = [...p.tree!.walk()].find((x) => x.field?.abbrev === 'ipv6.dstopts')!;
    expect(d.block).not.toBeNull();
    expect(render(t.raw)).toBe(want);
    // the column shows the Home Address, as without a block
    expect(p.srcText).toBe(new Engine().dissect(t.raw, 1, false).srcText);
    expect(p.srcText).not.toBe(ipv6ToString(p.ip!.src));
  });

  it('are dropped when preferences or decode-as change what the items say', () => {
    // MH type 8 is a Key Exchange Request (LKE) or a Fast Binding Update (-o mip6.profile:fmipv6)
    const t = packets.find((x) => new Engine().dissect(x.raw, 1, false).data.mip6?.type === 8)!;
    const lke = render(t.raw);
    expect(lke).toContain('Mobility Header Type: Key Exchange Request (8)');
    expect(setPref('mip6.profile:fmipv6')).toBeNull();
    applyPrefs();
    const fmip = render(t.raw);
    expect(fmip).toBe(afresh(t.raw));
    expect(fmip).toContain('Mobility Header Type: Fast Binding Update (8)');
    resetPrefs();
    applyPrefs();
    expect(render(t.raw)).toBe(lke);
    // decode-as: the IPv6 payload shown as data instead of the MH
    expect(applyDecodeAs('ethertype==0x86dd,data')).toBeNull();
    expect(render(t.raw)).toBe(afresh(t.raw));
    expect(render(t.raw)).not.toContain('Mobility Header Type');
  });

  it('print mutated packets exactly as fresh items do (3,000 cases)', () => {
    fc.assert(
      fc.property(fc.nat(), mutationArb, (i, ms) => {
        const t = packets[i % packets.length]!;
        const data = applyMutations(t.raw.data, ms);
        const raw = { ...t.raw, data, caplen: data.length, origlen: Math.max(data.length, t.raw.origlen) };
        const want = afresh(raw);
        expect(render(raw)).toBe(want);
        expect(render(raw)).toBe(want);
      }),
      { numRuns: 3000, seed: 0xb10c },
    );
  });

  it('keep no views into the buffer of the packet that made them', () => {
    // a BU from 2001:db8:a::1 to 2001:db8:b::2 over Ethernet
    const t = packets.find((x) => x.raw.linktype === 1 && x.raw.data.length >= 54 && x.raw.data.readUInt16BE(12) === 0x86dd)!;
    const want = afresh(t.raw);
    const first = Buffer.from(t.raw.data);
    // fill the first packet's buffer after dissecting it, as the reader reuses its chunk
    const a = new Engine().dissect({ ...t.raw, data: first }, 1, true);
    const src = a.tree!.find('ipv6.src')!;
    first.fill(0);
    const b = new Engine().dissect({ ...t.raw, data: Buffer.from(t.raw.data) }, 1, true);
    const bSrc = b.tree!.find('ipv6.src')!;
    expect(bSrc).toBe(src);
    expect(jsonValue(bSrc.field!, bSrc.value)).toBe(jsonValue(bSrc.field!, t.raw.data.subarray(22, 38)));
    expect(render({ ...t.raw, data: Buffer.from(t.raw.data) })).toBe(want);
  });

  it('are looked up by their octets, offset and data source, and a slot keeps the latest', () => {
    // keys given by the test, not octets of a frame being dissected
    const c = new BlockCache(4, false);
    const f = getField('ipv6.hlim')!;
    const buf = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const parent = new Item(null, 0, 8, null, 'p');
    parent.add(f, 2, 1, buf.subarray(2, 3));
    // a cache keyed by packet octets takes only the frame being dissected
    const own = new BlockCache(4);
    own.put(buf, 2, 4, 0, parent);
    expect(parent.block).toBeNull();
    blockFrame(buf);
    own.put(buf, 2, 4, 0, parent);
    expect(own.get(buf, 2, 4, 0)?.items).toEqual(parent.children);
    expect(own.get(Buffer.from(buf), 2, 4, 0)).toBeNull();
    parent.block = null;
    c.put(buf, 2, 4, 0, parent);
    const b = c.get(Buffer.from([9, 9, 3, 4, 5, 6]), 2, 4, 0);
    expect(b?.items).toEqual(parent.children);
    // the value was copied out of the buffer
    buf[2] = 0xff;
    expect([...(b!.items[0]!.value as Uint8Array)]).toEqual([3]);
    expect(c.get(Buffer.from([9, 9, 3, 4, 5, 7]), 2, 4, 0)).toBeNull();
    expect(c.get(Buffer.from([9, 3, 4, 5, 6]), 1, 4, 0)).toBeNull();
    expect(c.get(Buffer.from([9, 9, 3, 4, 5, 6]), 2, 4, 1)).toBeNull();
    // subtrees with expert items or suffixes are not shared
    const q = new Item(null, 0, 8, null, 'q');
    q.add(f, 2, 1, 64).append(' [bad]');
    c.put(Buffer.from([0, 0, 1, 1, 1, 1]), 2, 4, 0, q);
    expect(c.get(Buffer.from([0, 0, 1, 1, 1, 1]), 2, 4, 0)).toBeNull();
    expect(q.block).toBeNull();
  });
});
