// The build's single-file bundle (scripts/postbuild.mjs, bin/mip6scope.ts): it
// prints exactly what the module graph prints, and it runs only while it matches
// the build — a module added to dist/ or a compile without the bundle step sends
// the run to the module graph.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { ROOT, FIXTURES, run } from './util/cli.js';
import { BUNDLE, bundleUsable } from '../core/plugins.js';

const DIST = join(ROOT, 'dist');
const GRAPH = { MIP6SCOPE_BUNDLE: '0' };

function captures(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) captures(p, out);
    else if (/\.(pcap|pcapng)$/.test(n)) out.push(p);
  }
  return out;
}

describe('single-file bundle', () => {
  it('is built and usable for dist/ as the build left it', () => {
    expect(existsSync(join(DIST, BUNDLE))).toBe(true);
    expect(existsSync(join(DIST, 'bundle', 'lane_worker.js'))).toBe(true);
    expect(bundleUsable(DIST)).toBe(true);
  });

  it('prints what the module graph prints, for every fixture (-V with summary lines)', () => {
    const files = captures(FIXTURES);
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const a = run(['-V', '-P', '-r', f]);
      const b = run(['-V', '-P', '-r', f], { env: GRAPH });
      expect(a.stdout, f).toBe(b.stdout);
      expect(a.stderr, f).toBe(b.stderr);
      expect(a.code, f).toBe(b.code);
    }
  });

  it('verifies, crafts and runs worker lanes as the module graph does', () => {
    const cases: string[][] = [
      ['verify', '--json', '-r', join(FIXTURES, 'verify', 'rr.pcap'), '-k', join(FIXTURES, 'verify', 'rr.keyring.json')],
      ['verify', '--json', '-r', join(FIXTURES, 'cbu-verify', 'bad_sig_mn.pcap'), '-k', join(FIXTURES, 'cbu-verify', 'keyring.json')],
      ['-T', 'json', '-r', join(FIXTURES, 'mipv6-rr-exchange.pcap')],
      ['-V', '--threads', '2', '-r', join(FIXTURES, 'mipv6-rr-exchange.pcap')],
    ];
    for (const c of cases) {
      const a = run(c);
      const b = run(c, { env: GRAPH });
      expect(a.stdout.length, c.join(' ')).toBeGreaterThan(100);
      expect(a.stdout, c.join(' ')).toBe(b.stdout);
      expect(a.code, c.join(' ')).toBe(b.code);
    }
    // craft: the message modules are in the bundle (craft/build.ts loads them from its folder otherwise)
    const tmp = mkdtempSync(join(tmpdir(), 'mip6scope-bundle-'));
    try {
      const scenario = join(FIXTURES, 'craft', 'rr-exchange.json');
      const a = run(['craft', scenario, '-w', join(tmp, 'a.pcap')]);
      const b = run(['craft', scenario, '-w', join(tmp, 'b.pcap')], { env: GRAPH });
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      expect(readFileSync(join(tmp, 'a.pcap')).equals(readFileSync(join(tmp, 'b.pcap')))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  describe('in a copy of the build', () => {
    let copy = '';
    beforeAll(() => {
      // inside the project, so node_modules resolves; times kept, as the build left them
      copy = mkdtempSync(join(ROOT, '.bundle-test-'));
      cpSync(DIST, copy, { recursive: true, preserveTimestamps: true });
    });
    afterAll(() => {
      if (copy) rmSync(copy, { recursive: true, force: true });
    });
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, [join(copy, 'bin', 'mip6scope.js'), ...args], { env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, cwd: ROOT });
      return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
    };

    it('runs the bundle while it matches, and the module graph after a compile or an added module', () => {
      const fixture = join(FIXTURES, 'mipv6-rr-exchange.pcap');
      const want = run(['-r', fixture]).stdout;
      // a bundle that announces itself
      const bundle = join(copy, BUNDLE);
      const made = statSync(bundle).mtime;
      writeFileSync(bundle, "process.stderr.write('bundle used\\n');\n" + readFileSync(bundle, 'utf8'));
      utimesSync(bundle, made, made);
      expect(bundleUsable(copy)).toBe(true);
      let r = cli(['-r', fixture]);
      expect(r.stderr).toBe('bundle used\n');
      expect(r.stdout).toBe(want);
      // MIP6SCOPE_BUNDLE=0: the module graph
      const g = spawnSync(process.execPath, [join(copy, 'bin', 'mip6scope.js'), '-r', fixture], { env: { ...process.env, ...GRAPH, NO_COLOR: '1', TZ: 'UTC' }, cwd: ROOT });
      expect(g.stderr.toString()).toBe('');
      expect(g.stdout.toString()).toBe(want);
      // a compile after the bundle (tsc rewrites every module; core/plugins.js witnesses it)
      const later = new Date(made.getTime() + 5000);
      utimesSync(join(copy, 'core', 'plugins.js'), later, later);
      expect(bundleUsable(copy)).toBe(false);
      r = cli(['-r', fixture]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(want);
      utimesSync(join(copy, 'core', 'plugins.js'), made, made);
      expect(bundleUsable(copy)).toBe(true);
      // a bundle that throws while it loads: the module graph runs instead
      const good = readFileSync(bundle, 'utf8');
      writeFileSync(bundle, "throw new Error('bundle broken on purpose');\n" + good);
      utimesSync(bundle, made, made);
      r = cli(['-r', fixture]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(want);
      expect(r.code).toBe(0);
      writeFileSync(bundle, good);
      utimesSync(bundle, made, made);
      // a plugin module added to dist/ after the build: the module graph loads it
      writeFileSync(join(copy, 'dissectors', 'zz_added.js'), "process.stderr.write('zz_added loaded\\n');\n");
      expect(bundleUsable(copy)).toBe(false);
      r = cli(['-r', fixture]);
      expect(r.stderr).toBe('zz_added loaded\n');
      expect(r.stdout).toBe(want);
    });
  });
});
