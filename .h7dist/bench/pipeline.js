// The pipeline benchmark (issue 11): mip6scope summary, -V, -T json, verify and
// reading from a pipe, side by side with tshark (summary, -V, -T json) and
// tcpdump -n -v on the same generated capture; packets/s, ratio to tshark and
// peak RSS (GNU time's maximum resident set size).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { loadTemplates, writeBenchCapture } from './capture.js';
function have(cmd) {
    return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}
/** Time a shell command with GNU time; stdout goes to /dev/null. */
export function timeCommand(name, cmd, packets) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', `${cmd} > /dev/null`], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const last = r.stderr.trim().split('\n').pop() ?? '';
    const m = /^([\d.]+) (\d+)$/.exec(last);
    return { name, packets, seconds: m ? Number(m[1]) : NaN, rssMB: m ? Number(m[2]) / 1024 : NaN, ok: r.status === 0 || r.status === 1 };
}
export function runPipelineBench(root, sizes, withTools = true) {
    const bin = `${process.execPath} ${join(root, 'dist', 'bin', 'mip6scope.js')}`;
    const templates = loadTemplates(root);
    const results = [];
    const hasVerify = fs.existsSync(join(root, 'dist', 'cli', 'commands', 'verify.js'));
    for (const n of sizes) {
        const file = join(process.env.TMPDIR ?? '/tmp', `mip6scope-bench-${n}.pcap`);
        const bytes = writeBenchCapture(file, n, templates);
        console.log(`\n${n.toLocaleString('en')} packets, ${(bytes / 1e6).toFixed(0)} MB, ${templates.length} template packets (${file})`);
        const runs = [
            ['mip6scope summary', `${bin} -r ${file}`],
            ['mip6scope summary (pipe)', `cat ${file} | ${bin} -r -`],
            ['mip6scope -V', `${bin} -r ${file} -V`],
            ['mip6scope -T json', `${bin} -r ${file} -T json`],
        ];
        if (hasVerify)
            runs.push(['mip6scope verify (no keys)', `${bin} verify -r ${file}`]);
        if (withTools && have('tshark')) {
            runs.push(['tshark summary', `tshark -n -r ${file}`], ['tshark -V', `tshark -n -V -r ${file}`], ['tshark -T json', `tshark -n -T json -r ${file}`]);
        }
        if (withTools && have('tcpdump'))
            runs.push(['tcpdump -n -v', `tcpdump -n -v -r ${file} 2>/dev/null`]);
        for (const [name, cmd] of runs) {
            const m = timeCommand(name, cmd, n);
            results.push(m);
            printRow(m, results);
        }
        fs.rmSync(file, { force: true });
    }
    return results;
}
const REF = {
    'mip6scope summary': 'tshark summary', 'mip6scope summary (pipe)': 'tshark summary',
    'mip6scope -V': 'tshark -V', 'mip6scope -T json': 'tshark -T json', 'mip6scope verify (no keys)': 'tshark -V',
};
function printRow(m, all) {
    const pps = m.packets / m.seconds;
    const ref = all.find((x) => x.name === REF[m.name] && x.packets === m.packets);
    const ratio = ref ? ` ${(pps / (ref.packets / ref.seconds)).toFixed(1)}x ${ref.name}` : '';
    console.log(`  ${m.name.padEnd(28)} ${m.seconds.toFixed(2).padStart(8)} s ${(pps / 1e3).toFixed(0).padStart(7)} kpkt/s  peak RSS ${m.rssMB.toFixed(0).padStart(5)} MB${m.ok ? '' : '  (exit status not 0/1)'}${ratio}`);
}
/** Ratios printed once all runs of a size are in (tshark runs after ours). */
export function summarize(results) {
    const lines = [];
    for (const m of results) {
        const ref = results.find((x) => x.name === REF[m.name] && x.packets === m.packets);
        if (!ref)
            continue;
        const r = (m.packets / m.seconds) / (ref.packets / ref.seconds);
        lines.push(`${m.packets.toLocaleString('en')} packets: ${m.name} = ${r.toFixed(1)}x ${ref.name}`);
    }
    const s1 = results.find((x) => x.name === 'mip6scope summary' && x.packets === 1e6);
    const s2 = results.find((x) => x.name === 'mip6scope summary' && x.packets === 2e6);
    if (s1 && s2)
        lines.push(`peak RSS growth 1M -> 2M (summary): ${(((s2.rssMB - s1.rssMB) / s1.rssMB) * 100).toFixed(1)} %`);
    return lines;
}
