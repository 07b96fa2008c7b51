// Command line, tshark's vocabulary: mip6scope [-r FILE] [-V] [-x] [-T json|ek|fields]
// [-Y FILTER] [-c N] [-t FMT] [-d ...] [-o ...] [-z ...] [-w OUT] [-k KEYRING] ...
// and subcommands (verify, flows, report, craft, replay) registered in cli/commands/.
import { Command, CommanderError, Option } from 'commander';
import { loadPlugins } from '../core/plugins.js';
import { getCommand, allCommands } from './commands.js';
import { UsageError } from './errors.js';
import { runDissect, type DissectArgs } from './dissect.js';
import { listGlossary } from './glossary.js';
import { escapeText } from '../core/escape.js';
import { setPref } from '../core/prefs.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** Error text quotes file names and arguments: escape each line, keep the line breaks. */
export function safeMessage(m: string): string {
  return m.split('\n').map(escapeText).join('\n');
}

export function buildProgram(): Command {
  const p = new Command('mip6scope');
  p.description('Dissect, verify and analyse Mobile IPv6 signalling in pcap/pcapng captures (tshark-style).')
    .usage('[options] | <command> [options]')
    .option('-r, --read-file <file>', 'read packets from a pcap/pcapng file ("-" = standard input)')
    .option('-i, --interface <iface>', 'capture live on an interface (needs the optional "cap" package)')
    .option('-D, --list-interfaces', 'list capture interfaces and exit')
    .option('-f, --capture-filter <bpf>', 'BPF capture filter (live capture)')
    .option('-s, --snapshot-length <n>', 'snapshot length (live capture)')
    .option('-a, --autostop <cond>', 'stop live capture after duration:N seconds', collect, [])
    .option('-c, --count <n>', 'stop after n packets')
    .option('-t <format>', 'time format: r, a, ad, adoy, d, dd, e, u, ud, udoy', 'r')
    .option('-V', 'show the packet detail tree')
    .option('-O <protocols>', 'show details only for these protocols (comma-separated)')
    .option('-x', 'show hex and ASCII dump of each packet')
    .option('-P', 'print packets even when writing with -w, and the summary line also with -V or -x (as tshark -P)')
    .option('-T <format>', 'output format: text, json, ek, fields, pdml is not supported', 'text')
    .option('-e <field>', 'field to print with -T fields (repeatable)', collect, [])
    .option('-E <option>', 'fields option: header=y|n, separator=,|/t|/s|c, quote=d|s|n, occurrence=f|l|a, aggregator=c', collect, [])
    .option('-Y, --display-filter <filter>', 'display filter (Wireshark syntax)')
    .option('-R, --read-filter <filter>', 'read filter applied on the first pass (with -2)')
    .option('-2', 'two-pass analysis (like tshark -2): later packets settle earlier ones')
    .option('-w <file>', 'write displayed packets to a file (pcap, or pcapng by extension)')
    .option('-z <stat>', 'statistics: mip6,msgs | mip6,bindings | expert | conv,ipv6 | io,stat,INTERVAL', collect, [])
    .option('-d <rule>', 'decode as: <table>==<value>,<protocol> (repeatable)', collect, [])
    .option('-o <pref>', 'preference name:value (repeatable), e.g. mip6.profile:fmipv6', collect, [])
    .option('-k, --keyring <file>', 'JSON keyring with key material for verification')
    .option('--show-keys', 'show derived key material (tokens, Kbm, expected MACs)')
    .option('-q', 'quiet: do not print packet lines (statistics only)')
    .option('-n', 'no name resolution (always the case; accepted for tshark compatibility)')
    .option('-l', 'flush output after each packet')
    .option('-G [report]', 'glossary: fields, protocols, decodes, dissector-tables, defaultprefs, currentprefs, column-formats, commands')
    .option('--no-duplicate-keys', '-T json: merge duplicate keys of an object into arrays (as tshark)')
    .option('-j <protocols>', '-T json: only these protocols (space-separated), first level of each')
    .option('-J <protocols>', '-T json: only these protocols (space-separated), fully expanded')
    .addOption(new Option('--color <when>', 'colour output').choices(['auto', 'always', 'never']).default('auto'))
    .option('--no-progress', 'no progress bar on stderr')
    .option('--threads <n>', 'dissect on n worker threads, output unchanged (default 1; auto: one per core, up to 4, for -V/-O/-x/JSON of captures over 8 MB)')
    .helpOption('-h, --help', 'show this help');
  p.addHelpText('after', '\nCommands:\n' + allCommands().map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n') + '\n\nRun "mip6scope <command> --help" for a command\'s options.');
  return p;
}

function toArgs(o: Record<string, any>): DissectArgs {
  return {
    file: o.readFile,
    iface: o.interface,
    listInterfaces: !!o.listInterfaces,
    captureFilter: o.captureFilter,
    snaplen: o.snapshotLength,
    autostop: o.autostop ?? [],
    count: o.count,
    timeFormat: o.t,
    verbose: !!o.V,
    only: o.O,
    hex: !!o.x,
    format: o.T,
    fields: o.e ?? [],
    fieldOpts: o.E ?? [],
    filter: o.displayFilter,
    readFilter: o.readFilter,
    twoPass: !!o['2'],
    writeFile: o.w,
    stats: o.z ?? [],
    decodeAs: o.d ?? [],
    prefs: o.o ?? [],
    keyring: o.keyring,
    showKeys: !!o.showKeys,
    quiet: !!o.q,
    lineBuffered: !!o.l,
    color: o.color,
    progress: o.progress !== false,
    printSummary: !!o.P,
    noDupKeys: o.duplicateKeys === false,
    jsonFilter: o.j,
    jsonFilterAll: o.J,
    threads: o.threads,
  };
}

export async function main(argv: string[]): Promise<number> {
  try {
    const errs = await loadPlugins();
    for (const e of errs) process.stderr.write(`mip6scope: warning: ${safeMessage(e)}\n`);
    const sub = argv[0] && !argv[0].startsWith('-') ? getCommand(argv[0]) : undefined;
    if (sub) return await sub.run(argv.slice(1));
    if (argv[0] && !argv[0].startsWith('-')) throw new UsageError(`unknown command "${argv[0]}" (commands: ${allCommands().map((c) => c.name).join(', ') || 'none'})`);
    const program = buildProgram();
    program.exitOverride();
    program.configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) });
    try {
      program.parse(argv, { from: 'user' });
    } catch (e) {
      if (e instanceof CommanderError) {
        if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
        throw new UsageError(e.message.replace(/^error: /, ''));
      }
      throw e;
    }
    const o = program.opts();
    if (o.G !== undefined) {
      // -G currentprefs shows -o settings, as tshark does
      for (const spec of (o.o ?? []) as string[]) {
        const err = setPref(spec);
        if (err) throw new UsageError(err);
      }
      return listGlossary(o.G === true ? 'fields' : String(o.G));
    }
    return await runDissect(toArgs(o));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mip6scope: ${safeMessage(e.message)}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
