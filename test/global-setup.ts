// Build dist/ once before the tests that run the CLI as a user would.
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

export default function setup(): void {
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'pipe' });
  } catch (e: any) {
    // type errors still emit JavaScript; show them but let the tests speak
    process.stderr.write(String(e.stdout ?? '') + String(e.stderr ?? ''));
  }
  // as `npm run build` does: the bin runs by its #! line (npx mip6scope), and the
  // plugin index is written (core/plugins.ts)
  chmodSync('dist/bin/mip6scope.js', 0o755);
  execFileSync(process.execPath, ['scripts/postbuild.mjs'], { stdio: 'pipe' });
}
