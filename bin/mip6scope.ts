#!/usr/bin/env node
// Entry point. The build's single-file bundle (scripts/postbuild.mjs) starts about
// 50 ms sooner than the module graph (one file to read instead of ~150 to resolve,
// stat and open); it runs only while it matches the build (core/plugins.ts), and
// MIP6SCOPE_BUNDLE=0 turns it off.
import { fileURLToPath } from 'node:url';
import { BUNDLE, bundleUsable } from '../core/plugins.js';

const dist = fileURLToPath(new URL('..', import.meta.url));
let started = false;
if (process.env.MIP6SCOPE_BUNDLE !== '0' && bundleUsable(dist)) {
  try {
    await import(new URL('../' + BUNDLE, import.meta.url).href);
    started = true;
  } catch {
    // a module that throws while the bundle loads: the module graph names it in a
    // warning and runs without it, as it always has
  }
}
if (!started) (await import('../cli/start.js')).start();
