// The pipeline benchmark (issue 11): mip6scope summary, -V, -T json, verify and
// reading from a pipe, side by side with tshark (summary, -V, -T json) and
// tcpdump -n -v on the same generated capture; packets/s, ratio to tshark and
// peak RSS (GNU time's maximum resident set size). CPU seconds (user + system)
// are printed too: on a shared machine they are steadier than elapsed time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { loadTemplates, writeBenchCapture } from './capture.js';

export interface Measure {
  name: string;
  packets: number;
  /** elapsed (wall-clock) seconds */
  seconds: number;
  /** user + system CPU seconds */
  cpu: number;
  rssMB: number;
  ok: boolean;
}

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Time a shell command with GNU time; stdout goes to /dev/null. */
export function timeCommand(name: string, cmd: string, packets: number): Measure {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'sh', '-c', `${cmd} > /dev/null`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = (r.stderr ?? '').trim().split('\n').pop() ?? '';
  const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last);
  return {
    name, packets,
    seconds: m ? Number(m[1]) : NaN,
    cpu: m ? Number(m[2]) + Number(m[3]) : NaN,
    rssMB: m ? Number(m[4]) / 1024 : NaN,
    ok: r.status === 0 || r.status === 1,
  };
}

export interface PipelineOptions {
  /** also time tshark and tcpdump (default true) */
  withTools?: boolean;
  /** keep the generated captures (default: removed after their runs) */
  keep?: boolean;
  /** called with each finished measurement */
  onResult?: (m: Measure, all: Measure[]) => void;
}

export async function runPipelineBench(root: string, sizes: number[], opts: PipelineOptions | boolean = {}): Promise<Measure[]> {
  const o: PipelineOptions = typeof opts === 'boolean' ? { withTools: opts } : opts;
  const withTools = o.withTools ?? true;
  const bin = `${process.execPath} ${join(root, 'dist', 'bin', 'mip6scope.js')}`;
  const templates = await loadTemplates(root);
  const results: Measure[] = [];
  const hasVerify = fs.existsSync(join(root, 'dist', 'cli', 'commands', 'verify.js'));
  for (const n of sizes) {
    const file = join(process.env.TMPDIR ?? '/tmp', `mip6scope-bench-${n}.pcap`);
    const bytes = writeBenchCapture(file, n, templates);
    console.log(`\n${n.toLocaleString('en')} packets, ${(bytes / 1e6).toFixed(0)} MB, ${templates.length} template packets (${file})`);
    // each mip6scope run right after the tshark run it is compared with: on a shared
    // host the speed drifts by 2x over minutes, and neighbours in time see the same host
    const ts = withTools && have('tshark');
    const runs: Array<[string, string]> = [
      ...(ts ? [['tshark summary', `tshark -n -r ${file} 2>/dev/null`] as [string, string]] : []),
      ['mip6scope summary', `${bin} -r ${file}`],
      ['mip6scope summary (pipe)', `cat ${file} | ${bin} -r -`],
      ...(ts ? [['tshark -V', `tshark -n -V -r ${file} 2>/dev/null`] as [string, string]] : []),
      ['mip6scope -V', `${bin} -r ${file} -V`],
      // the same on two worker threads (cli/parallel.ts; not the default)
      ['mip6scope -V --threads 2', `${bin} -r ${file} -V --threads 2`],
      ...(ts ? [['tshark -T json', `tshark -n -T json -r ${file} 2>/dev/null`] as [string, string]] : []),
      ['mip6scope -T json', `${bin} -r ${file} -T json`],
      ['mip6scope -T json --threads 2', `${bin} -r ${file} -T json --threads 2`],
    ];
    if (hasVerify) runs.push(['mip6scope verify (no keys)', `${bin} verify -r ${file}`]);
    if (withTools && have('tcpdump')) runs.push(['tcpdump -n -v', `tcpdump -n -v -r ${file} 2>/dev/null`]);
    for (const [name, cmd] of runs) {
      const m = timeCommand(name, cmd, n);
      results.push(m);
      printRow(m, results);
      o.onResult?.(m, results);
    }
    if (!o.keep) fs.rmSync(file, { force: true });
  }
  return results;
}

const REF: Record<string, string> = {
  'mip6scope summary': 'tshark summary', 'mip6scope summary (pipe)': 'tshark summary',
  'mip6scope -V': 'tshark -V', 'mip6scope -T json': 'tshark -T json', 'mip6scope verify (no keys)': 'tshark -V',
  'mip6scope -V --threads 2': 'tshark -V', 'mip6scope -T json --threads 2': 'tshark -T json',
};

function refOf(m: Measure, all: Measure[]): Measure | undefined {
  return all.find((x) => x.name === REF[m.name] && x.packets === m.packets);
}

function printRow(m: Measure, all: Measure[]): void {
  const pps = m.packets / m.seconds;
  console.log(`  ${m.name.padEnd(28)} ${m.seconds.toFixed(2).padStart(8)} s ${(pps / 1e3).toFixed(0).padStart(6)} kpkt/s  cpu ${m.cpu.toFixed(2).padStart(7)} s  peak RSS ${m.rssMB.toFixed(0).padStart(5)} MB${m.ok ? '' : '  (exit status not 0/1)'}`);
}

/** Ratios (elapsed and CPU) printed once all runs of a size are in. */
export function summarize(results: Measure[]): string[] {
  const lines: string[] = [];
  for (const m of results) {
    const ref = refOf(m, results);
    if (!ref) continue;
    const r = ref.seconds / m.seconds;
    const rc = ref.cpu / m.cpu;
    lines.push(`${m.packets.toLocaleString('en')} packets: ${m.name} = ${r.toFixed(2)}x ${ref.name} (elapsed), ${rc.toFixed(2)}x (CPU)`);
  }
  const sizes = [...new Set(results.map((x) => x.packets))].sort((a, b) => a - b);
  if (sizes.length >= 2) {
    const [a, b] = [sizes[0]!, sizes[sizes.length - 1]!];
    for (const name of ['mip6scope summary', 'mip6scope summary (pipe)', 'mip6scope -V', 'mip6scope -T json', 'mip6scope -V --threads 2', 'mip6scope -T json --threads 2', 'mip6scope verify (no keys)']) {
      const s1 = results.find((x) => x.name === name && x.packets === a);
      const s2 = results.find((x) => x.name === name && x.packets === b);
      if (s1 && s2) lines.push(`peak RSS growth ${a.toLocaleString('en')} -> ${b.toLocaleString('en')} packets (${name}): ${(((s2.rssMB - s1.rssMB) / s1.rssMB) * 100).toFixed(1)} %`);
    }
  }
  return lines;
}

/** A Markdown table of all runs (for the README's Performance section). */
export function markdownTable(results: Measure[]): string[] {
  const out = ['| packets | run | elapsed s | kpkt/s | CPU s | peak RSS MB | vs tshark (elapsed) | vs tshark (CPU) |', '|---:|---|---:|---:|---:|---:|---:|---:|'];
  for (const m of results) {
    const ref = refOf(m, results);
    const r = ref ? (ref.seconds / m.seconds).toFixed(2) + 'x' : '';
    const rc = ref ? (ref.cpu / m.cpu).toFixed(2) + 'x' : '';
    out.push(`| ${m.packets.toLocaleString('en')} | ${m.name} | ${m.seconds.toFixed(2)} | ${(m.packets / m.seconds / 1e3).toFixed(0)} | ${m.cpu.toFixed(2)} | ${m.rssMB.toFixed(0)} | ${r} | ${rc} |`);
  }
  return out;
}
