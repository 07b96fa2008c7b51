// Dissecting a capture file on several cores, with output identical to one thread.
//
// The capture is cut into batches of B packets; worker k of N prints the batches
// b with b % N === k. Every worker reads every packet, in order, so the
// dissectors' state (fragment reassembly, echo request/reply pairs, TCP sequence
// bases, display times) is exactly the single-threaded one; a packet of another
// lane only updates that state (PacketSink.shadow), which for the stateless
// majority costs just the summary fast path's decode. Each worker writes its
// batches to standard output itself, when the batch before is written (a shared
// counter), so output octets are never passed between threads. The main thread
// only reads the input and hands every chunk to all workers (so a pipe works as
// a file does); its heap stays small, each worker runs with a small young
// generation, and no thread runs far ahead: memory stays bounded.
//
// Only the plain outputs go this way (summary, -V, -O, -x, -T json/ek): a filter,
// a tap, -w, a keyring, -2, -l or a terminal keep the single thread.
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ByteSource } from '../readers/source.js';
import type { Capture } from '../readers/open.js';
import type { BatchOut, Out } from '../output/writer.js';
import { fastState, type FastState } from '../core/fast.js';
import type { Engine } from '../core/engine.js';
import type { RawPacket } from '../core/packet.js';
import type { PacketSink } from './sink.js';
import type { DissectArgs } from './dissect.js';
import { readErrorLine } from './errors.js';

/** below this a worker's start (~0.1 s of module loading) costs more than it saves */
export const AUTO_MIN_BYTES = 8 << 20;
/** input read and handed to the workers at a time */
const CHUNK = 1 << 19;
/** chunks the main thread may read ahead of the slowest worker */
const MAX_AHEAD = 6;

// control words shared with the workers: [0] input chunks posted, [1] worker
// messages posted, [2] batches written, [3] output closed (| head), [4 + k]
// input chunks consumed by worker k
const CTL_IN = 0;
const CTL_OUT = 1;
const CTL_WRITTEN = 2;
const CTL_CLOSED = 3;
const CTL_CONSUMED = 4;

/**
 * Packets per batch: large enough that turns are few, small enough that the
 * batch a lane holds until its turn stays small (a -V or JSON packet prints 2-12 KB).
 */
export function batchSize(wantTree: boolean): number {
  const env = Number(process.env.MIP6SCOPE_BATCH);
  return env > 0 ? env : wantTree ? 128 : 2048;
}

/**
 * Lanes for a run: 1 = single thread. `threads` is --threads: a number, or "auto"
 * (one per core, up to 4, for a tree output of a capture over 8 MB; the plain
 * summary stays on one thread: a lane's share of the others' packets costs a
 * fast decode, about what a summary packet costs in all). The default is 1:
 * on this project's 2-core machines a single thread already keeps the second
 * core ~25 % busy with V8's garbage collector, and two lanes measured only
 * 10-12 % faster for 75 % more CPU and ~75 MB more memory (README, Performance).
 */
export function laneCount(threads: string | undefined, size: number | undefined, wantTree: boolean): number {
  const want = threads ?? '1';
  // the workers run compiled JavaScript (dist/): from TypeScript sources (tests) stay single
  if (!import.meta.url.endsWith('.js')) return 1;
  if (want === 'auto') {
    if (!wantTree || (size !== undefined && size < AUTO_MIN_BYTES)) return 1;
    return Math.max(1, Math.min(4, availableParallelism()));
  }
  return Math.max(1, Math.min(16, Number(want)));
}

/** Whether the run's outputs allow lanes (everything else is printed by one thread). */
export function lanesAllowed(a: DissectArgs, hasFilter: boolean, taps: number, stdoutTTY: boolean): boolean {
  const fmt = a.format === 'text' || a.format === 'json' || a.format === 'ek';
  return fmt && !hasFilter && taps === 0 && !a.keyring && !a.writeFile && !a.twoPass && !a.quiet && !a.lineBuffered && !stdoutTTY && !!a.file;
}

/**
 * The fast path's state, used by a lane to take another lane's packet at the
 * fast path's cost: what it takes, it leaves the engine's state as dissection would.
 */
export function statelessProbe(a: DissectArgs, engine: Engine): FastState | null {
  if (a.prefs.length > 0 || process.env.MIP6SCOPE_NO_FAST === '1') return null;
  return fastState(engine);
}

export interface LaneHooks {
  /** before the first packet of batch b (this lane's); false = stop (output closed) */
  start(b: number): boolean;
  /** batch b (this lane's) is complete: its text is in `out` (take or drop it) */
  done(b: number, out: BatchOut): void;
}

/** One lane's loop. A ReaderError is passed on after the open batch is handed over. */
export function runLane(cap: Capture, sink: PacketSink, out: BatchOut, lane: number, lanes: number, hooks: LaneHooks, probe: FastState | null): void {
  const batch = batchSize(sink.wantTree);
  let cur = -1;
  let own = false;
  const close = () => {
    if (own) hooks.done(cur, out);
    own = false;
  };
  try {
    for (const raw of cap.packets) {
      const b = Math.floor(sink.num / batch);
      if (b !== cur) {
        close();
        cur = b;
        own = b % lanes === lane;
        if (own && !hooks.start(b)) break;
      }
      if (!(own ? sink.handle(raw) : sink.shadow(raw, probe))) break;
    }
  } finally {
    close();
  }
}

/** What a worker posts: its end (with the closing text and any reader error). */
export type LaneMsg =
  | { done: true; final: Uint8Array; error: string | null; frames: number }
  | { fatal: string };

export interface LaneData {
  args: DissectArgs;
  lane: number;
  lanes: number;
  ctl: Int32Array;
  input: MessagePort;
  output: MessagePort;
  chalkLevel: 0 | 1 | 2 | 3;
}

/** Run the capture from `src` on `lanes` worker threads; returns the exit code. */
export function runParallel(a: DissectArgs, src: ByteSource, lanes: number, out: Out, chalkLevel: number): number {
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (CTL_CONSUMED + lanes)));
  const inPorts: MessagePort[] = [];
  const outPorts: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let k = 0; k < lanes; k++) {
    const input = new MessageChannel();
    const output = new MessageChannel();
    inPorts.push(input.port1);
    outPorts.push(output.port1);
    const data: LaneData = { args: a, lane: k, lanes, ctl, input: input.port2, output: output.port2, chalkLevel: chalkLevel as LaneData['chalkLevel'] };
    workers.push(
      new Worker(new URL('./lane_worker.js', import.meta.url), {
        workerData: data,
        transferList: [input.port2, output.port2],
        // a small young generation: each lane's heap stays small, its scavenges cheap
        resourceLimits: { maxYoungGenerationSizeMb: 12 },
      }),
    );
  }

  const ends: Array<Extract<LaneMsg, { done: true }> | undefined> = new Array(lanes);
  let ended = 0;
  let fatal: string | null = null;
  const closed = () => Atomics.load(ctl, CTL_CLOSED) !== 0 || out.closed;
  const take = (m: LaneMsg, k: number) => {
    if ('done' in m) {
      ends[k] = m;
      ended++;
    } else fatal = m.fatal;
  };
  /** take messages until `ready` holds; the counter is read before looking, so no wake-up is missed */
  const waitFor = (ready: () => boolean) => {
    for (;;) {
      const seen = Atomics.load(ctl, CTL_OUT);
      for (let k = 0; k < lanes; k++) for (let m = receiveMessageOnPort(outPorts[k]!); m; m = receiveMessageOnPort(outPorts[k]!)) take(m.message as LaneMsg, k);
      if (fatal !== null) throw new Error(`a dissecting thread failed: ${fatal}`);
      if (ready()) return;
      Atomics.wait(ctl, CTL_OUT, seen, 1000);
    }
  };
  const behind = () => {
    let min = Infinity;
    for (let k = 0; k < lanes; k++) min = Math.min(min, Atomics.load(ctl, CTL_CONSUMED + k));
    return Atomics.load(ctl, CTL_IN) - min;
  };
  const post = (m: unknown, copy: boolean) => {
    for (const p of inPorts) {
      if (copy) {
        const c = new Uint8Array((m as Uint8Array).length); // a copy of its own (Buffer#slice would share)
        c.set(m as Uint8Array);
        p.postMessage(c, [c.buffer]);
      } else p.postMessage(m);
    }
    Atomics.add(ctl, CTL_IN, 1);
    Atomics.notify(ctl, CTL_IN);
  };

  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      // read ahead of the slowest worker by a few chunks only: memory stays bounded
      waitFor(() => behind() < MAX_AHEAD || closed() || ended === lanes);
      if (closed() || ended === lanes) break; // closed output, or -c reached
      const n = src.read(buf, 0, CHUNK);
      if (n === 0) break;
      post(buf.subarray(0, n), true);
    }
    post({ end: true }, false);
    waitFor(() => ended === lanes || closed());
    if (closed()) return 0;
    // every batch is written; a worker's end says where the data ended (the same in every lane)
    const first = ends[0]!;
    out.writeBytes(first.final);
    out.flush();
    if (first.error !== null) {
      process.stderr.write(readErrorLine(first.error, first.frames));
      return 2;
    }
    return 0;
  } finally {
    for (const w of workers) void w.terminate();
    for (const p of [...inPorts, ...outPorts]) p.close();
    src.close();
  }
}

/** A worker's input: the chunks the main thread posts, read synchronously. */
export function portSource(d: LaneData, name: string): ByteSource {
  const { ctl, input } = d;
  let cur: Uint8Array | null = null;
  let pos = 0;
  let ended = false;
  return {
    name,
    read(buf, off, len) {
      while (!ended && (cur === null || pos >= cur.length)) {
        const seen = Atomics.load(ctl, CTL_IN);
        const m = receiveMessageOnPort(input);
        if (!m) {
          Atomics.wait(ctl, CTL_IN, seen, 1000);
          continue;
        }
        if (m.message instanceof Uint8Array) {
          cur = m.message;
          pos = 0;
        } else ended = true;
        Atomics.add(ctl, CTL_CONSUMED + d.lane, 1);
        signalMain(ctl); // the main thread may be waiting for room to read
      }
      if (ended && (cur === null || pos >= cur.length)) return 0;
      const n = Math.min(len, cur!.length - pos);
      buf.set(cur!.subarray(pos, pos + n), off);
      pos += n;
      return n;
    },
    close() {},
  };
}

/**
 * A worker's output: its finished batches, each written to standard output as
 * soon as every batch before it is. Before printing a new batch the worker
 * writes what it holds (waiting for its turn), so at most one batch is held.
 */
export class LaneWriter {
  private held: Array<[number, Uint8Array]> = [];
  constructor(private d: LaneData, private out: Out) {}

  /** batch b is complete: written now if it is its turn (no copy), else held */
  add(b: number, bo: BatchOut): void {
    const ctl = this.d.ctl;
    if (this.held.length === 0 && Atomics.load(ctl, CTL_WRITTEN) === b && Atomics.load(ctl, CTL_CLOSED) === 0) {
      this.put(b, bo.view());
      bo.drop();
      return;
    }
    this.held.push([b, bo.take()]);
    this.write(false);
  }

  private put(b: number, bytes: Uint8Array): void {
    const ctl = this.d.ctl;
    this.out.writeBytes(bytes);
    this.out.flush();
    if (this.out.closed) {
      Atomics.store(ctl, CTL_CLOSED, 1);
      signalMain(ctl);
    }
    Atomics.store(ctl, CTL_WRITTEN, b + 1);
    Atomics.notify(ctl, CTL_WRITTEN);
  }

  /** write what is held, waiting for the turn when `wait`; false = the output is closed */
  write(wait: boolean): boolean {
    const ctl = this.d.ctl;
    while (this.held.length > 0) {
      if (Atomics.load(ctl, CTL_CLOSED) !== 0) return false;
      const [b, bytes] = this.held[0]!;
      const w = Atomics.load(ctl, CTL_WRITTEN);
      if (w !== b) {
        if (!wait) return true;
        Atomics.wait(ctl, CTL_WRITTEN, w, 1000);
        continue;
      }
      this.held.shift();
      this.put(b, bytes);
    }
    return Atomics.load(ctl, CTL_CLOSED) === 0;
  }
}

/** Tell the main thread something was posted on an output port. */
export function signalMain(ctl: Int32Array): void {
  Atomics.add(ctl, CTL_OUT, 1);
  Atomics.notify(ctl, CTL_OUT);
}
