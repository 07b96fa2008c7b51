// Run the built CLI as a user would.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// MIP6SCOPE_BIN: a private build, so a concurrent rebuild of dist/ cannot break a run
export const BIN = process.env.MIP6SCOPE_BIN ?? join(ROOT, 'dist', 'bin', 'mip6scope.js');
export const FIXTURES = join(ROOT, 'fixtures');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(args: string[], opts: { input?: Buffer | string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: opts.input,
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', ...opts.env },
    cwd: opts.cwd ?? ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
