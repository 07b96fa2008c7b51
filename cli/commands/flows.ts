// mip6scope flows -r FILE [-Y FILTER] [-k KEYRING] [--width N] [--ascii|--unicode] [--json]
// The Mobility Header signalling between hosts as a ladder diagram in the terminal.
import { Command } from 'commander';
import { registerCommand, parseCommand } from '../commands.js';
import { UsageError } from '../errors.js';
import { compileOrDie } from '../dissect.js';
import { loadCapture } from '../../report/load.js';
import { buildLadder, drawLadder } from '../../report/ladder.js';
import { Out } from '../../output/writer.js';
import { escapeText } from '../../core/escape.js';

/** Box drawing when the locale says UTF-8 (or --unicode), else ASCII. */
export function unicodeLocale(env: NodeJS.ProcessEnv = process.env): boolean {
  const loc = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(loc);
}

async function run(args: string[]): Promise<number> {
  const p = new Command('mip6scope flows')
    .description('ladder diagram of the Mobile IPv6 signalling between hosts (MN, HA, CN, AR, MAP)')
    .requiredOption('-r, --read-file <file>', 'capture (pcap or pcapng)')
    .option('-Y, --display-filter <filter>', 'only packets matching this display filter')
    .option('-k, --keyring <file>', 'keyring JSON: verification verdicts mark failed messages')
    .option('--width <n>', 'diagram width in columns (default: the terminal width, else 100)')
    .option('--ascii', 'ASCII only (default unless the locale is UTF-8)')
    .option('--unicode', 'Unicode box drawing')
    .option('--json', 'print hosts and edges as JSON instead of the diagram');
  if (!parseCommand(p, args)) return 0;
  const o = p.opts();
  let width = process.stdout.columns || 100;
  if (o.width !== undefined) {
    if (!/^\d+$/.test(o.width) || Number(o.width) < 20) throw new UsageError(`invalid --width "${o.width}": a whole number of columns, at least 20`);
    width = Number(o.width);
  }
  const filter = o.displayFilter ? compileOrDie(o.displayFilter, '-Y') : null;
  const cap = loadCapture(o.readFile, { filter, keyringFile: o.keyring });
  for (const w of cap.keyringWarnings) process.stderr.write(`mip6scope: keyring ${escapeText(w)}\n`);
  const ladder = buildLadder(cap.events, cap.start);
  const out = new Out();
  if (o.json) {
    out.write(JSON.stringify({ capture: o.readFile, hosts: ladder.hosts, edges: ladder.edges }, null, 2) + '\n');
  } else if (!ladder.edges.length) {
    out.line('No Mobility Header messages' + (filter ? ' match the filter.' : ' in this capture.'));
  } else {
    // addresses and labels come from packets: escape before the terminal
    const safe = { hosts: ladder.hosts.map((h) => ({ ...h, name: escapeText(h.name), detail: escapeText(h.detail) })), edges: ladder.edges.map((e) => ({ ...e, label: escapeText(e.label) })) };
    const unicode = o.unicode ? true : o.ascii ? false : unicodeLocale();
    out.write(drawLadder(safe, { width, unicode }));
  }
  out.flush();
  if (cap.readError) {
    process.stderr.write(`mip6scope: ${cap.readError} (after ${cap.total} frames)\n`);
    return 2;
  }
  return 0;
}

registerCommand({ name: 'flows', summary: 'ladder diagram of the mobility signalling between hosts', run });
