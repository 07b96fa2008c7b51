// Per-frame results of a stateful verifier, computed once on the first pass in
// capture order and replayed on a second pass (tshark -2), as the bindings
// analyzer does: the state at a frame must not see later frames.
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import type { Severity } from '../core/expert.js';
import { recordVerdict, recordFinding, type Verdict } from './api.js';

export type Finding =
  | { t: 'verdict'; name: string; v: Verdict; msg?: string }
  | { t: 'expert'; sev: Severity; id: string; msg: string };

export class FrameResults {
  private kept = new Map<number, Finding[]>();
  constructor(private twoPass: boolean) {}

  /** The findings of a frame: computed by `fn` on first sight, replayed afterwards. */
  of(pinfo: PacketInfo, fn: () => Finding[]): Finding[] {
    // a later pass replays: recomputing would see the state of the capture's end
    if (pinfo.pass > 1) return this.kept.get(pinfo.num) ?? [];
    const f = fn();
    if (this.twoPass && f.length) this.kept.set(pinfo.num, f);
    return f;
  }

  /** A finding settled by a later frame (shown on a second pass only). */
  late(frame: number, f: Finding): void {
    if (!this.twoPass) return;
    const l = this.kept.get(frame);
    if (l) l.push(f);
    else this.kept.set(frame, [f]);
  }

  /** Drop findings of an earlier frame that a later one showed wrong. */
  drop(frame: number, pred: (f: Finding) => boolean): void {
    const l = this.kept.get(frame);
    if (l) this.kept.set(frame, l.filter((f) => !pred(f)));
  }

  static render(pinfo: PacketInfo, fs: Finding[], item: Item | null): void {
    for (const f of fs) {
      if (f.t === 'verdict') recordVerdict(pinfo, f.name, f.v, { item, message: f.msg ? () => f.msg! : undefined });
      else recordFinding(pinfo, f.sev, f.id, f.msg, item);
    }
  }
}
