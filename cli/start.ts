// Running the CLI as a program: the arguments of the process, its exit code, and
// a quiet end when standard output is closed early.
import { main } from './main.js';

export function start(): void {
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
}
