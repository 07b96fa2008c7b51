// The build's plugin index (scripts/postbuild.mjs, core/plugins.ts): the same
// modules in the same order as loading one module after another, used only while
// it lists exactly the modules present, and a module that fails to load is named
// either way while the others work.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, FIXTURES } from './util/cli.js';
import { pluginFiles, PLUGIN_INDEX, PLUGIN_LIST } from '../core/plugins.js';

const DIST = join(ROOT, 'dist');
let copy = '';

beforeAll(() => {
  // a private copy of the build inside the project, so node_modules resolves
  copy = mkdtempSync(join(ROOT, '.plugins-test-'));
  cpSync(DIST, copy, { recursive: true });
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function cli(dist: string, args: string[]) {
  // the module graph, not the build's bundle (test/bundle.test.ts)
  const r = spawnSync(process.execPath, [join(dist, 'bin', 'mip6scope.js'), ...args], { env: { ...process.env, MIP6SCOPE_BUNDLE: '0', NO_COLOR: '1', TZ: 'UTC' }, cwd: ROOT });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

describe('plugin index', () => {
  it('lists every plugin module of the build, in load order, and imports exactly those', () => {
    const listed = JSON.parse(readFileSync(join(DIST, 'core', PLUGIN_LIST), 'utf8')) as string[];
    const found = pluginFiles(DIST, '.js').map((f) => relative(DIST, f));
    expect(listed).toEqual(found);
    expect(listed).toContain('dissectors/mip6/mh.js');
    expect(listed.some((f) => f.startsWith('cli/commands/'))).toBe(true);
    const imports = readFileSync(join(DIST, 'core', PLUGIN_INDEX), 'utf8').split('\n').filter((l) => l.startsWith('import '));
    expect(imports).toEqual(listed.map((f) => `import ${JSON.stringify('../' + f)};`));
  });

  it('a module added after the build is loaded (the index no longer matches), and a failing one is named', () => {
    const fixture = join(FIXTURES, 'mipv6-rr-exchange.pcap');
    const want = cli(DIST, ['-r', fixture]);
    expect(want.code).toBe(0);
    // while the index matches it is what loads the modules
    const index = join(copy, 'core', PLUGIN_INDEX);
    writeFileSync(index, "process.stderr.write('index used\\n');\n" + readFileSync(index, 'utf8'));
    let r = cli(copy, ['-r', fixture]);
    expect(r.stderr).toBe('index used\n');
    expect(r.stdout).toBe(want.stdout);
    // a module that announces itself: loaded although the index does not list it
    writeFileSync(join(copy, 'dissectors', 'zz_added.js'), "process.stderr.write('zz_added loaded\\n');\n");
    r = cli(copy, ['-r', fixture]);
    expect(r.stderr).toBe('zz_added loaded\n');
    expect(r.stdout).toBe(want.stdout);
    // a module that throws: one warning naming it, the packets as before
    writeFileSync(join(copy, 'dissectors', 'zz_broken.js'), "throw new Error('broken on purpose');\n");
    r = cli(copy, ['-r', fixture]);
    expect(r.stderr).toMatch(/warning: module dissectors\/zz_broken\.js failed to load: broken on purpose/);
    expect(r.stdout).toBe(want.stdout);
    expect(r.code).toBe(0);
    // the same broken module listed in an index: the index fails, the loop names it
    const files = pluginFiles(copy, '.js').map((f) => relative(copy, f));
    writeFileSync(join(copy, 'core', PLUGIN_LIST), JSON.stringify(files));
    writeFileSync(join(copy, 'core', PLUGIN_INDEX), files.map((f) => `import ${JSON.stringify('../' + f)};`).join('\n'));
    r = cli(copy, ['-r', fixture]);
    expect(r.stderr).toMatch(/warning: module dissectors\/zz_broken\.js failed to load: broken on purpose/);
    expect(r.stderr.match(/zz_added loaded/g)).toHaveLength(1);
    expect(r.stdout).toBe(want.stdout);
  });
});
