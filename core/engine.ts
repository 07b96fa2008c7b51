// The one-way pipeline for a packet: frame -> link (table `wtap_encap`) -> ... ->
// analyzers (stateful, run after stateless dissection, like Wireshark's
// post-dissectors). An Engine holds the per-run state: capture times, analyzers,
// key material.
import { Tvb } from './tvb.js';
import { Item } from './tree.js';
import { PacketInfo, type RawPacket } from './packet.js';
import { getHandle, callDissector, perTables } from './tables.js';
import { blockFrame } from './block.js';

export interface Analyzer {
  /** called for every packet after dissection, in capture order */
  packet(pinfo: PacketInfo, tree: Item | null): void;
  /** called at the end of a pass */
  finish?(pass: number): void;
  /**
   * A later pass starts a fresh analyzer and recomputes every frame in capture
   * order; what later frames settled about earlier ones (late findings) is all
   * the old one hands over: `carry` gives it, `adopt` takes it.
   */
  carry?(): unknown;
  adopt?(carried: unknown): void;
}

export interface AnalyzerFactory {
  name: string;
  /** lower runs first */
  order?: number;
  create(engine: Engine): Analyzer | null;
}

const factories: AnalyzerFactory[] = [];

export function registerAnalyzer(f: AnalyzerFactory): void {
  factories.push(f);
  factories.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

export interface EngineOptions {
  /** key material (typed by the keyring module) */
  keyring?: unknown;
  /** show derived keys (--show-keys) */
  showKeys?: boolean;
  /** number of passes the caller will make (2 = tshark -2) */
  passes?: number;
}

// the 'frame' dissector, looked up again only when the tables change
const frameHandle = perTables(() => getHandle('frame'));

export class Engine {
  firstSec = NaN;
  firstNsec = 0;
  prevSec = NaN;
  prevNsec = 0;
  analyzers: Array<{ name: string; a: Analyzer; f: AnalyzerFactory }> = [];
  pass = 1;
  /** shared state any module may hang off the engine (by module name) */
  state: Record<string, any> = Object.create(null);

  constructor(public opts: EngineOptions = {}) {
    for (const f of factories) {
      const a = f.create(this);
      if (a) this.analyzers.push({ name: f.name, a, f });
    }
  }

  /** Start a new pass over the same capture (two-pass analysis). */
  beginPass(pass: number): void {
    this.pass = pass;
    this.firstSec = NaN;
    this.prevSec = NaN;
    // recomputing from fresh state keeps memory to the late findings, where
    // keeping every frame's results for replay grew with the capture
    if (pass > 1) {
      this.analyzers = this.analyzers.map((x) => {
        const carried = x.a.carry?.();
        const a = x.f.create(this);
        if (!a) return x;
        if (carried !== undefined) a.adopt?.(carried);
        return { ...x, a };
      });
    }
  }

  endPass(): void {
    for (const { a } of this.analyzers) a.finish?.(this.pass);
  }

  /** The bookkeeping of dissect() for a frame the summary fast path handled (core/fast.ts). */
  skip(raw: RawPacket): void {
    if (Number.isNaN(this.firstSec)) {
      this.firstSec = raw.tsSec;
      this.firstNsec = raw.tsNsec;
    }
    this.prevSec = raw.tsSec;
    this.prevNsec = raw.tsNsec;
  }

  dissect(raw: RawPacket, num: number, wantTree: boolean): PacketInfo {
    const pinfo = new PacketInfo(num, raw, this.pass);
    if (Number.isNaN(this.firstSec)) {
      this.firstSec = raw.tsSec;
      this.firstNsec = raw.tsNsec;
    }
    pinfo.data.engine = this;
    const root = wantTree ? new Item(null, 0, raw.data.length, null, '') : null;
    pinfo.tree = root;
    const tvb = new Tvb(raw.data, raw.data.length, Math.max(raw.origlen, raw.data.length));
    const frame = frameHandle();
    blockFrame(raw.data);
    if (frame) callDissector(frame, tvb, 0, pinfo, root);
    for (const { a } of this.analyzers) {
      try {
        a.packet(pinfo, root);
      } catch (e) {
        pinfo.addExpert('error', 'analysis.bug', `Analysis error: ${(e as Error).message}`, root);
      }
    }
    this.prevSec = raw.tsSec;
    this.prevNsec = raw.tsNsec;
    return pinfo;
  }
}
