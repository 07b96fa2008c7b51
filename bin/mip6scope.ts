#!/usr/bin/env node
// Entry point: everything lives in cli/main.
import { main } from '../cli/main.js';

// `mip6scope ... | head`: a closed pipe ends the run quietly, as tshark does
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`mip6scope: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = 2;
  },
);
