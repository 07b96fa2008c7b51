// Several threads (cli/parallel.ts) must print exactly what one thread prints.
// The captures hold every fixture packet (all link types, malformed ones,
// fragments, echo pairs, TCP) and mutated copies of them; batches of 3 packets
// make every stateful exchange cross lanes, so a lane that lost state would show.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ready } from './util/dissect.js';
import { run, ROOT, BIN } from './util/cli.js';
import { spawnSync } from 'node:child_process';
import { loadFixturePackets, applyMutations, mutationArb } from '../bench/fuzzlib.js';
import { openWriter } from '../output/pcapwriter.js';

const dir = fs.mkdtempSync(join(tmpdir(), 'mip6scope-par-'));
const all = join(dir, 'all.pcapng');
const mutated = join(dir, 'mutated.pcapng');
const cut = join(dir, 'cut.pcapng');
let packets = 0;

beforeAll(async () => {
  await ready();
  const t = loadFixturePackets(ROOT, 1000);
  packets = t.length;
  let w = openWriter(all, null, true);
  for (const p of t) w.write(p.raw);
  w.close();
  // the same packets mutated (fixed seed): malformed layers in every lane
  const ms = fc.sample(mutationArb, { numRuns: t.length, seed: 4242 });
  w = openWriter(mutated, null, true);
  t.forEach((p, i) => {
    const d = applyMutations(p.raw.data, ms[i]!);
    w.write({ ...p.raw, data: d, caplen: d.length, origlen: Math.max(d.length, p.raw.origlen) });
  });
  w.close();
  const b = fs.readFileSync(all);
  fs.writeFileSync(cut, b.subarray(0, Math.floor(b.length * 0.6)));
});

const lanes = (threads: string, args: string[], input?: Buffer) =>
  run(['--threads', threads, ...args], { env: { MIP6SCOPE_BATCH: '3' }, input });

describe('parallel dissection (--threads)', () => {
  // [name, arguments, with the mutated capture too, thread counts]
  const modes: Array<[string, string[], boolean, string[]]> = [
    ['summary', [], true, ['2']],
    ['-V', ['-V'], true, ['2', '3']],
    ['-V -x', ['-V', '-x'], false, ['2']],
    ['-O mipv6 -P', ['-O', 'mipv6', '-P'], false, ['2']],
    ['-T json', ['-T', 'json'], true, ['2', '3']],
    ['-T ek', ['-T', 'ek'], false, ['2']],
    ['-t d', ['-t', 'd'], false, ['2']],
    ['-c 100', ['-c', '100'], false, ['3']],
  ];
  for (const [name, args, withMutated, counts] of modes) {
    it(`${name}: ${counts.join(' and ')} threads print what one thread prints`, () => {
      for (const f of withMutated ? [all, mutated] : [all]) {
        const one = lanes('1', ['-r', f, ...args]);
        expect(one.code).toBe(0);
        expect(one.stdout.length).toBeGreaterThan(1000);
        for (const n of counts) {
          const many = lanes(n, ['-r', f, ...args]);
          expect(many.stderr).toBe(one.stderr);
          expect(many.code).toBe(0);
          expect(many.stdout === one.stdout, `${name} ${f} --threads ${n}`).toBe(true);
        }
      }
    }, 60_000);
  }

  it('covers every fixture packet, reassembly and echo pairs across lanes', () => {
    const out = lanes('2', ['-r', all]).stdout.trimEnd().split('\n');
    expect(out.length).toBe(packets);
    expect(out.some((l) => /Reassembled|reassembled/.test(l) || /\(reply in \d+\)|\(request in \d+\)/.test(l))).toBe(true);
  });

  it('standard input: the same as the file, on one thread or several', () => {
    const one = lanes('1', ['-r', all, '-V']).stdout;
    const input = fs.readFileSync(all);
    expect(lanes('2', ['-r', '-', '-V'], input).stdout === one).toBe(true);
    // auto: a small pipe stays on one thread (its start is read ahead and given back), same output
    expect(run(['--threads', 'auto', '-r', '-', '-V'], { input }).stdout === one).toBe(true);
    expect(run(['-r', '-', '-V'], { input }).stdout === one).toBe(true);
  });

  it('a capture cut short: the same packets, the same error line, exit code 2', () => {
    const one = lanes('1', ['-r', cut, '-T', 'json']);
    const two = lanes('2', ['-r', cut, '-T', 'json']);
    expect(one.code).toBe(2);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout === one.stdout).toBe(true);
    expect(one.stderr).toMatch(/truncated|cut short|ends inside/);
  });

  it('not a capture, and bad --threads values: one line, exit code 2', () => {
    const junk = join(dir, 'junk.pcap');
    fs.writeFileSync(junk, Buffer.alloc(100, 0x41));
    const r = lanes('2', ['-r', junk]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    for (const bad of ['0', 'x', '99', '-1']) {
      const b = run(['--threads', bad, '-r', all]);
      expect(b.code, bad).toBe(2);
      expect(b.stderr).toMatch(/--threads/);
    }
  });

  it('output closed early (| head): stops quietly, the workers too', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --threads 2 -r "${all}" -V | head -c 2000 >/dev/null; echo "rc=\${PIPESTATUS:-done}"`], {
      env: { ...process.env, MIP6SCOPE_BATCH: '3' },
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(r.stderr.toString()).toBe('');
  });
});
