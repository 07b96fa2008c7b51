// Per-frame results of a stateful verifier. Each pass computes them in capture
// order from fresh state (so the state at a frame never sees later frames); the
// first pass also records what later frames settle about earlier ones, and a
// second pass (tshark -2, always used by `verify`) adds those. Only those late
// findings are kept between passes: memory follows them, not the capture.
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import type { Severity } from '../core/expert.js';
import { recordVerdict, recordFinding, type Verdict } from './api.js';

export type Finding =
  | { t: 'verdict'; name: string; v: Verdict; msg?: string }
  | { t: 'expert'; sev: Severity; id: string; msg: string };

export class FrameResults {
  /** findings settled by later frames, by frame: kept for the next pass */
  private lates = new Map<number, Finding[]>();
  /** findings a later frame showed wrong, by frame */
  private drops = new Map<number, Array<(f: Finding) => boolean>>();
  /** true in a later pass: lates and drops come from the pass before */
  private replay = false;
  constructor(private twoPass: boolean) {}

  /**
   * The findings of a frame, computed by `fn` from the state so far; a later pass
   * (a fresh verifier fed the same frames in the same order) computes the same
   * and adds what later frames settled.
   */
  of(pinfo: PacketInfo, fn: () => Finding[]): Finding[] {
    const f = fn();
    if (!this.replay) return f;
    const d = this.drops.get(pinfo.num);
    const l = this.lates.get(pinfo.num);
    const kept = d ? f.filter((x) => !d.some((p) => p(x))) : f;
    return l ? [...kept, ...l] : kept;
  }

  /** A finding settled by a later frame (shown on a second pass only). */
  late(frame: number, f: Finding): void {
    if (!this.twoPass || this.replay) return;
    const l = this.lates.get(frame);
    if (l) l.push(f);
    else this.lates.set(frame, [f]);
  }

  /** Drop findings of an earlier frame that a later one showed wrong. */
  drop(frame: number, pred: (f: Finding) => boolean): void {
    if (!this.twoPass || this.replay) return;
    const d = this.drops.get(frame);
    if (d) d.push(pred);
    else this.drops.set(frame, [pred]);
    const l = this.lates.get(frame);
    if (l) this.lates.set(frame, l.filter((f) => !pred(f)));
  }

  /** What the next pass needs (Analyzer.carry). */
  carry(): unknown {
    return { lates: this.lates, drops: this.drops };
  }

  /** Take the pass before's late findings (Analyzer.adopt). */
  adopt(c: unknown): void {
    const x = c as { lates: Map<number, Finding[]>; drops: Map<number, Array<(f: Finding) => boolean>> };
    this.lates = x.lates;
    this.drops = x.drops;
    this.replay = true;
  }

  static render(pinfo: PacketInfo, fs: Finding[], item: Item | null): void {
    for (const f of fs) {
      if (f.t === 'verdict') recordVerdict(pinfo, f.name, f.v, { item, message: f.msg ? () => f.msg! : undefined });
      else recordFinding(pinfo, f.sev, f.id, f.msg, item);
    }
  }
}

/**
 * A verifier whose per-frame findings go through FrameResults: it hands its late
 * findings from one pass to the fresh instance of the next (Analyzer.carry/adopt).
 */
export abstract class FrameResultsAnalyzer {
  res: FrameResults;

  constructor(engine: { opts: { passes?: number } }) {
    this.res = new FrameResults((engine.opts.passes ?? 1) > 1);
  }

  carry(): unknown {
    return this.res.carry();
  }

  adopt(c: unknown): void {
    this.res.adopt(c);
  }
}
