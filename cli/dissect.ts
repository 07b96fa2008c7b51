// The default command: read (or capture), dissect, filter, print, write, tap.
import { Engine } from '../core/engine.js';
import { applyDecodeAs } from '../core/tables.js';
import { setPref, applyPrefs } from '../core/prefs.js';
import { getField } from '../core/fields.js';
import { openCapture, openCaptureSource, captureKind, ReaderError, type Capture } from '../readers/open.js';
import { openSource, peekSource, type ByteSource } from '../readers/source.js';
import { lanesAllowed, laneCount, runParallel, AUTO_MIN_BYTES } from './parallel.js';
import type { SinkContext } from './sink.js';
import type { ChalkInstance } from 'chalk';
import { Out } from '../output/writer.js';
import { TIME_FORMATS, type TimeFormat } from '../output/time.js';
import { makeChalk, type ColorMode } from '../output/color.js';
import { findTap, allTaps, type Tap } from '../output/taps.js';
import { compileFilter, FilterSyntaxError, type PacketFilter } from '../filter/index.js';
import { loadKeyring, KeyringError } from '../keyring/index.js';
import { UsageError, readErrorLine } from './errors.js';
import { PacketSink } from './sink.js';
import { parseFieldOpts, isPseudoField, COLUMN_FIELDS } from '../output/fields.js';
import { progressWanted, Progress, ProgressOut } from '../output/progress.js';
import type { JsonOptions } from '../output/json.js';
import { escapeText } from '../core/escape.js';

export interface DissectArgs {
  file?: string;
  iface?: string;
  listInterfaces: boolean;
  captureFilter?: string;
  snaplen?: string;
  autostop: string[];
  count?: string;
  timeFormat: string;
  verbose: boolean;
  only?: string;
  hex: boolean;
  format: string;
  fields: string[];
  fieldOpts: string[];
  filter?: string;
  readFilter?: string;
  twoPass: boolean;
  writeFile?: string;
  stats: string[];
  decodeAs: string[];
  prefs: string[];
  keyring?: string;
  showKeys: boolean;
  quiet: boolean;
  lineBuffered: boolean;
  color: ColorMode;
  progress: boolean;
  /** -P: summary lines also with -V / -x */
  printSummary?: boolean;
  /** --no-duplicate-keys (-T json) */
  noDupKeys?: boolean;
  /** -j / -J protocol filters (-T json), space-separated as tshark */
  jsonFilter?: string;
  jsonFilterAll?: string;
  /** --threads: "auto" or a number of lanes (cli/parallel.ts) */
  threads?: string;
}

function jsonOptions(a: DissectArgs): JsonOptions | undefined {
  const jf = a.jsonFilterAll ?? a.jsonFilter;
  return a.noDupKeys || jf ? { noDupKeys: !!a.noDupKeys, filter: jf ? new Set(jf.split(/[\s,]+/).filter(Boolean)) : undefined, filterAll: a.jsonFilterAll !== undefined } : undefined;
}

function onlySet(a: DissectArgs): Set<string> | undefined {
  return a.only ? new Set(a.only.split(',').map((s) => (s.trim() === 'mipv6' || s.trim() === 'mip6' ? 'mipv6' : s.trim()))) : undefined;
}

/** Whether the output format itself needs each packet's tree (filters and taps may too). */
function outputWantsTree(a: DissectArgs): boolean {
  const columnsOnly = a.format === 'fields' && a.fields.every((f) => COLUMN_FIELDS.includes(f));
  return a.verbose || !!a.only || (a.format !== 'text' && a.format !== 'tabs' && !columnsOnly);
}

/** What a run's printing depends on, from the capture's header. */
function captureDigits(cap: Capture): { digits: number; nanosecond: boolean } {
  return {
    digits: cap.info.format === 'pcap' && !cap.info.nanosecond ? 6 : cap.info.format === 'pcap' ? 9 : 6,
    nanosecond: cap.info.format === 'pcap' ? !!cap.info.nanosecond : true,
  };
}

/**
 * The sink context of a lane (cli/parallel.ts): no filter, tap or -w, the rest
 * derived from the arguments exactly as runDissect does (already validated).
 */
export function laneSinkContext(a: DissectArgs, cap: Capture, out: Out, engine: Engine, chalk: ChalkInstance): SinkContext {
  return {
    out, engine, filter: null, readFilter: null, taps: [], chalk, only: onlySet(a), json: jsonOptions(a),
    wantTree: outputWantsTree(a),
    count: a.count !== undefined ? Number(a.count) : Infinity,
    fopts: parseFieldOpts(a.fieldOpts),
    ...captureDigits(cap),
  };
}

/** Compile a filter, turning syntax errors into one line with a caret under the column. */
export function compileOrDie(expr: string, flag = '-Y'): PacketFilter {
  try {
    return compileFilter(expr);
  } catch (e) {
    if (e instanceof FilterSyntaxError) {
      const col = Math.max(0, Math.min(e.column, expr.length));
      throw new UsageError(`invalid display filter (${flag}): ${e.message}\n    ${expr}\n    ${' '.repeat(col)}^`);
    }
    throw e;
  }
}


export async function runDissect(a: DissectArgs): Promise<number> {
  if (!TIME_FORMATS.includes(a.timeFormat as TimeFormat)) throw new UsageError(`invalid -t "${a.timeFormat}": one of ${TIME_FORMATS.join(', ')}`);
  if (!['text', 'json', 'ek', 'fields', 'tabs'].includes(a.format)) throw new UsageError(`invalid -T "${a.format}": one of text, json, ek, fields`);
  let count = Infinity;
  if (a.count !== undefined) {
    if (!/^\d+$/.test(a.count) || Number(a.count) === 0) throw new UsageError(`invalid -c "${a.count}": a positive whole number`);
    count = Number(a.count);
  }
  if (a.format === 'fields' && a.fields.length === 0) throw new UsageError('-T fields needs at least one -e FIELD');
  for (const f of a.fields) if (!getField(f) && !isPseudoField(f)) throw new UsageError(`-e "${f}": no such field (see: mip6scope -G fields)`);
  let fopts;
  try {
    fopts = parseFieldOpts(a.fieldOpts);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (a.threads !== undefined && a.threads !== 'auto' && !(/^\d+$/.test(a.threads) && Number(a.threads) >= 1 && Number(a.threads) <= 16)) {
    throw new UsageError(`invalid --threads "${a.threads}": auto, or a number from 1 to 16`);
  }
  const json = jsonOptions(a);
  for (const d of a.decodeAs) {
    const err = applyDecodeAs(d);
    if (err) throw new UsageError(err);
  }
  for (const o of a.prefs) {
    const err = setPref(o);
    if (err) throw new UsageError(err);
  }
  applyPrefs();
  const filter = a.filter ? compileOrDie(a.filter, '-Y') : null;
  const readFilter = a.readFilter ? compileOrDie(a.readFilter, '-R') : null;
  const taps: Tap[] = [];
  for (const z of a.stats) {
    const t = findTap(z);
    if (!t) throw new UsageError(`invalid -z "${z}": known statistics are ${allTaps().map((x) => x.prefix).join(', ') || 'none'}`);
    try {
      taps.push(t.create(z));
    } catch (e) {
      throw new UsageError(`invalid -z "${z}": ${(e as Error).message}`);
    }
  }
  let keyring: unknown;
  const out = new ProgressOut(1, a.lineBuffered ? 1 : 1 << 16);
  if (a.keyring) {
    try {
      const k = loadKeyring(a.keyring);
      keyring = k.keyring;
      for (const w of k.warnings) process.stderr.write(`mip6scope: keyring ${w.severity}: ${escapeText(w.message)} [${w.id}]\n`);
    } catch (e) {
      if (e instanceof KeyringError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (!a.file && !a.iface && !a.listInterfaces) throw new UsageError('no capture given: use -r FILE (or -r - for standard input), or -i IFACE');
  if (a.twoPass && a.file === '-') throw new UsageError('-2 needs a file: standard input cannot be read twice');

  const wantTree = outputWantsTree(a) || (!!filter && filter.needsTree !== false) || (!!readFilter && readFilter.needsTree !== false) || taps.some((t) => t.needsTree);
  const engine = new Engine({ keyring, showKeys: a.showKeys, passes: a.twoPass ? 2 : 1 });
  const chalk = makeChalk(a.color, !!process.stdout.isTTY);
  const only = onlySet(a);
  if (a.listInterfaces || a.iface) {
    if (a.file) throw new UsageError('-r and -i cannot be used together');
    const live = await import('../live/index.js');
    return live.runLive(a, {
      out, engine, filter, readFilter, taps, wantTree, count, fopts, chalk, only, digits: 6, nanosecond: true, json,
    });
  }
  let cap: Capture;
  let opened: ByteSource | null = null;
  const open = () => {
    try {
      if (opened) {
        const s = opened;
        opened = null;
        return openCaptureSource(s);
      }
      return openCapture(a.file!);
    } catch (e) {
      if (e instanceof ReaderError) throw new UsageError(e.message);
      throw e;
    }
  };

  // several cores for the plain outputs (cli/parallel.ts; not unless asked for)
  const threads = a.threads ?? process.env.MIP6SCOPE_THREADS;
  if (threads !== undefined && threads !== '1' && lanesAllowed(a, !!filter || !!readFilter, taps.length, !!process.stdout.isTTY)) {
    let src: ByteSource;
    try {
      src = openSource(a.file!);
    } catch (e: any) {
      open(); // the same error, worded as for one thread
      throw e;
    }
    let size = src.size;
    // a pipe's size is unknown: its start tells a small capture (auto)
    const auto = threads === 'auto' && (wantTree || a.hex);
    const head = peekSource(src, a.file === '-' && auto ? AUTO_MIN_BYTES : 4);
    src = head.source;
    if (a.file === '-' && auto) size = head.ended ? head.length : undefined;
    const lanes = laneCount(threads, size, wantTree || a.hex);
    if (lanes > 1) {
      try {
        captureKind(head.head, src.name); // not a capture: one line, before any thread starts
      } catch (e) {
        src.close();
        if (e instanceof ReaderError) throw new UsageError(e.message);
        throw e;
      }
      return runParallel(a, src, lanes, out, chalk.level);
    }
    opened = src;
  }

  if (a.twoPass) {
    cap = open();
    let n = 0;
    try {
      for (const raw of cap.packets) {
        n++;
        const p = engine.dissect(raw, n, !!readFilter && readFilter.needsTree !== false);
        if (n >= count) break;
        void p;
      }
    } catch (e) {
      if (!(e instanceof ReaderError)) throw e;
      // reported on the second pass
    }
    engine.endPass();
    engine.beginPass(2);
    cap.source.close();
  }
  cap = open();
  const sink = new PacketSink(a, {
    out, engine, filter, readFilter, taps, wantTree, count, fopts, chalk, only, json,
    ...captureDigits(cap),
  });
  sink.begin();
  // a bar on stderr for large files, only when both stderr and stdout are terminals
  const size = cap.source.size;
  const progress = size !== undefined && progressWanted({ enabled: a.progress, size, stderrTTY: !!process.stderr.isTTY, stdoutTTY: !!process.stdout.isTTY, stdin: a.file === '-' })
    ? new Progress(size, (s) => process.stderr.write(s), !!process.stderr.columns ? process.stderr.columns : 80)
    : null;
  out.progress = progress;
  try {
    let k = 0;
    for (const raw of cap.packets) {
      if (!sink.handle(raw)) break;
      if (progress && (++k & 1023) === 0) progress.update(cap.position(), sink.num);
    }
  } catch (e) {
    if (!(e instanceof ReaderError)) throw e;
    progress?.done();
    out.progress = null;
    sink.finish();
    process.stderr.write(readErrorLine(e.message, sink.num));
    return 2;
  }
  engine.endPass();
  progress?.done();
  out.progress = null;
  sink.finish();
  return 0;
}
