// `npm run bench`: the reader benchmark (ours vs pcap-parser), then the whole
// pipeline (bench/pipeline.ts) on generated MIPv6 captures of 1M and 2M packets
// against tshark and tcpdump (issue 11).
//   --sizes N,N,...   pipeline capture sizes (default 1000000,2000000; --pipeline N,... is the same)
//   --quick           200,000 packets, mip6scope only (no tshark/tcpdump)
//   --no-tools        mip6scope only
//   --no-pipeline     the reader benchmark only
//   --markdown        also print the results as a Markdown table
//   --packets=N       packets of the reader benchmark (default 200000)
import * as os from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runReadersBench } from './readers.js';

function machine(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const m = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1]!;
  } catch { /* not Linux */ }
  return `${os.cpus().length} CPUs (${cpu}), node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  console.log(`machine: ${machine()}`);
  const nArg = args.find((a) => /^--packets=\d+$/.test(a));
  for (const l of await runReadersBench(nArg ? Number(nArg.split('=')[1]) : 200000)) console.log(l);
  if (args.includes('--no-pipeline')) return;
  const quick = args.includes('--quick');
  let sizes = quick ? [200000] : [1000000, 2000000];
  for (const flag of ['--sizes', '--pipeline']) {
    const i = args.indexOf(flag);
    const next = i >= 0 ? args[i + 1] : undefined;
    const v = next !== undefined && !next.startsWith('--') ? next : args.find((a) => a.startsWith(flag + '='))?.slice(flag.length + 1);
    if (v !== undefined) {
      if (!/^\d+(,\d+)*$/.test(v)) throw new Error(`${flag} wants packet counts like 1000000,2000000, not "${v}"`);
      sizes = v.split(',').map(Number);
    }
  }
  const { runPipelineBench, summarize, markdownTable } = await import('./pipeline.js');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const res = await runPipelineBench(root, sizes, { withTools: !quick && !args.includes('--no-tools') });
  console.log('');
  for (const l of summarize(res)) console.log(l);
  if (args.includes('--markdown')) {
    console.log('');
    for (const l of markdownTable(res)) console.log(l);
  }
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exitCode = 1;
});
