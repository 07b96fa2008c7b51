// `mip6scope verify -r FILE [-k KEYRING] [--json] [--junit FILE] [--fail-on warning] [--show-keys]`
// Two passes over a file (like tshark -2), then a report: per frame the verdicts
// and expert items, then totals (spec §8). Exit 0 = clean, 1 = a verification
// failed or an error was found (or a warning, with --fail-on warning), 2 = the run
// could not be done (arguments, file, keyring).
import * as fs from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { registerCommand } from '../commands.js';
import { UsageError, readErrorLine } from '../errors.js';
import { Engine } from '../../core/engine.js';
import type { PacketInfo } from '../../core/packet.js';
import type { Expert } from '../../core/expert.js';
import { applyDecodeAs } from '../../core/tables.js';
import { setPref, applyPrefs } from '../../core/prefs.js';
import { escapeText } from '../../core/escape.js';
import { openCapture, ReaderError } from '../../readers/open.js';
import { loadKeyring, KeyringError, emptyKeyring, type Keyring } from '../../keyring/index.js';
import { Out } from '../../output/writer.js';
import type { Verdict } from '../../verify/api.js';
import { isoTime, junitXml, ReportStream, junitRelevant, type FrameReport, type Totals } from './verify_report.js';

const collect = (v: string, prev: string[]) => [...prev, v];

function program(): Command {
  return new Command('mip6scope verify')
    .description('Verify Mobile IPv6 signalling in a capture: checksums, authenticators, keygen tokens, sequence numbers (two passes).')
    .usage('-r FILE [-k KEYRING] [--json] [--junit FILE] [--fail-on warning] [--show-keys]')
    .option('-r, --read-file <file>', 'capture file (pcap or pcapng; read twice, so not standard input)')
    .option('-k, --keyring <file>', 'JSON keyring (spec §6); without it, key-based checks are "unverifiable"')
    .option('--json', 'print the JSON document of spec §8')
    .option('--junit <file>', 'also write JUnit XML (one testcase per verification)')
    .addOption(new Option('--fail-on <level>', 'lowest expert severity that fails the run').choices(['error', 'warning']).default('error'))
    .option('--show-keys', 'show derived key material (tokens, Kbm, expected authenticators) to explain failures')
    .option('-d <rule>', 'decode as: <table>==<value>,<protocol> (repeatable)', collect, [])
    .option('-o <pref>', 'preference name:value (repeatable)', collect, [])
    .helpOption('-h, --help', 'show this help');
}

export async function runVerify(argv: string[]): Promise<number> {
  const p = program();
  p.exitOverride();
  p.configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) });
  try {
    p.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed') return 0;
      throw new UsageError(`verify: ${e.message.replace(/^error: /, '')}`);
    }
    throw e;
  }
  const o = p.opts();
  if (p.args.length) throw new UsageError(`verify: unexpected argument "${p.args[0]}"`);
  const file: string | undefined = o.readFile;
  if (!file) throw new UsageError('verify: no capture given: use -r FILE');
  if (file === '-') throw new UsageError('verify: the capture is read twice (two passes): give a file, not standard input');
  for (const d of o.d as string[]) {
    const err = applyDecodeAs(d);
    if (err) throw new UsageError(err);
  }
  for (const x of o.o as string[]) {
    const err = setPref(x);
    if (err) throw new UsageError(err);
  }
  applyPrefs();
  let keyring: Keyring = emptyKeyring();
  let keyringNotes: Expert[] = [];
  if (o.keyring) {
    try {
      const k = loadKeyring(o.keyring);
      keyring = k.keyring;
      keyringNotes = k.warnings;
    } catch (e) {
      if (e instanceof KeyringError) throw new UsageError(e.message);
      throw e;
    }
  }
  const failOnWarning = o.failOn === 'warning';
  const showKeys = !!o.showKeys;
  const open = () => {
    try {
      return openCapture(file);
    } catch (e) {
      if (e instanceof ReaderError) throw new UsageError(e.message);
      throw e;
    }
  };

  const engine = new Engine({ keyring, showKeys, passes: 2 });
  let readError: string | null = null;
  let cap = open();
  try {
    let n = 0;
    for (const raw of cap.packets) engine.dissect(raw, ++n, false);
  } catch (e) {
    if (!(e instanceof ReaderError)) throw e;
    readError = e.message; // the second pass stops at the same place and reports it
  } finally {
    cap.source.close();
  }
  engine.endPass();
  engine.beginPass(2);
  cap = open();
  // the report is written frame by frame (memory stays flat on large captures);
  // only JUnit needs frames kept, and only those with something in them
  const frames: FrameReport[] = [];
  const totals: Totals = { frames: 0, ok: 0, fail: 0, unverifiable: 0, error: 0, warning: 0, note: 0 };
  const out = new Out(1);
  const report = new ReportStream(!!o.json, file, keyringNotes, { showKeys, failOnWarning });
  out.write(report.head());
  let num = 0;
  try {
    for (const raw of cap.packets) {
      const pi = engine.dissect(raw, ++num, false);
      const fr = frameReport(pi, totals);
      totals.frames++;
      out.write(report.frame(fr));
      if (o.junit && junitRelevant(fr)) frames.push(fr);
    }
  } catch (e) {
    if (!(e instanceof ReaderError)) throw e;
    readError = e.message;
  } finally {
    cap.source.close();
  }
  engine.endPass();
  out.write(report.tail(totals));
  out.flush();
  if (o.junit) {
    try {
      fs.writeFileSync(o.junit, junitXml(file, keyringNotes, frames, failOnWarning));
    } catch (e: any) {
      throw new UsageError(`verify: cannot write "${o.junit}": ${e.code === 'ENOENT' ? 'no such directory' : e.message}`);
    }
  }
  if (readError) {
    process.stderr.write(readErrorLine(readError, totals.frames));
    return 2;
  }
  const failed = totals.fail > 0 || totals.error > 0 || (failOnWarning && (totals.warning > 0 || keyringNotes.some((w) => w.severity === 'warning')));
  return failed ? 1 : 0;
}

function frameReport(p: PacketInfo, t: Totals): FrameReport {
  const verify = { ...((p.data.verify ?? {}) as Record<string, Verdict>) };
  for (const v of Object.values(verify)) {
    if (v === 'ok') t.ok++;
    else if (v === 'fail') t.fail++;
    else if (v === 'unverifiable') t.unverifiable++;
  }
  const expert = p.expert.filter((e) => e.severity !== 'chat').map((e) => ({ severity: e.severity, id: e.id, message: escapeText(e.message) }));
  for (const e of expert) t[e.severity as 'error' | 'warning' | 'note']++;
  const proto = p.proto || 'Frame';
  const addrs = p.srcText || p.dstText ? `${p.srcText} → ${p.dstText} ` : '';
  return {
    frame: p.num,
    time: isoTime(p.raw.tsSec, p.raw.tsNsec),
    summary: escapeText(`${addrs}${proto} ${p.info}`.trim()),
    verify,
    expert,
    keys: (p.data.verifyKeys as FrameReport['keys']) ?? [],
  };
}

registerCommand({ name: 'verify', summary: 'verify checksums, authenticators, tokens and sequence numbers (report, --json, --junit)', run: runVerify });
