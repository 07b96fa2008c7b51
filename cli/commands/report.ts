// mip6scope report -r FILE [-k KEYRING] [-Y FILTER] -o report.html
// One self-contained HTML file: summary, bindings timeline, ladder, expert items and
// every packet's detail tree.
import * as fs from 'node:fs';
import { Command } from 'commander';
import { registerCommand, parseCommand } from '../commands.js';
import { UsageError } from '../errors.js';
import { compileOrDie } from '../dissect.js';
import { loadCapture } from '../../report/load.js';
import { buildReport } from '../../report/html.js';
import { escapeText } from '../../core/escape.js';

const KEEP_LIMIT = 20000;

async function run(args: string[]): Promise<number> {
  const p = new Command('mip6scope report')
    .description('write a self-contained HTML report (summary, bindings timeline, ladder, expert items, packet trees)')
    .requiredOption('-r, --read-file <file>', 'capture (pcap or pcapng)')
    .requiredOption('-o, --output <file>', 'HTML file to write ("-" = standard output)')
    .option('-k, --keyring <file>', 'keyring JSON for verification verdicts (keys are never written)')
    .option('-Y, --display-filter <filter>', 'only packets matching this display filter')
    .option('--title <text>', 'report title');
  if (!parseCommand(p, args)) return 0;
  const o = p.opts();
  const filter = o.displayFilter ? compileOrDie(o.displayFilter, '-Y') : null;
  const cap = loadCapture(o.readFile, { filter, keyringFile: o.keyring, keepPackets: true, keepLimit: KEEP_LIMIT });
  for (const w of cap.keyringWarnings) process.stderr.write(`mip6scope: keyring ${escapeText(w)}\n`);
  const html = buildReport(cap, { title: o.title, filter: o.displayFilter, keyring: o.keyring, omitted: Math.max(0, cap.shown - cap.packets.length) });
  try {
    if (o.output === '-') fs.writeSync(1, html);
    else fs.writeFileSync(o.output, html);
  } catch (e: any) {
    throw new UsageError(`cannot write "${o.output}": ${e.code === 'ENOENT' ? 'no such directory' : e.message}`);
  }
  if (cap.readError) {
    process.stderr.write(`mip6scope: ${cap.readError} (after ${cap.total} frames; the report covers them)\n`);
    return 2;
  }
  return 0;
}

registerCommand({ name: 'report', summary: 'self-contained HTML report with timeline, ladder and packet trees', run });
