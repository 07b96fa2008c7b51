#!/usr/bin/env node
// Entry point: everything lives in cli/main.
import { main } from '../cli/main.js';
main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
}, (e) => {
    process.stderr.write(`mip6scope: internal error: ${e?.stack ?? e}\n`);
    process.exitCode = 2;
});
