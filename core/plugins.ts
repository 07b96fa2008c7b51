// Loads every protocol and analysis module: each registers itself in the tables,
// so adding a protocol is adding a file, never editing the core.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Folders (next to core/) whose modules register dissectors, analyzers and verifiers. */
export const PLUGIN_DIRS = ['dissectors', 'analysis', 'verify', 'stats', 'cli/commands'];

let loaded: Promise<string[]> | null = null;

/**
 * The build's bundle (scripts/postbuild.mjs) imports every plugin module itself,
 * before anything runs: loadPlugins then has nothing left to do.
 */
export function pluginsPreloaded(): void {
  loaded = Promise.resolve([]);
}

function listModules(dir: string, ext: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) listModules(p, ext, out);
    else if (n.endsWith(ext) && !n.endsWith('.d.ts') && !n.endsWith('.test' + ext)) out.push(p);
  }
}

/** The plugin modules under `root` (dist/ or the sources), in load order. */
export function pluginFiles(root: string, ext: string): string[] {
  const files: string[] = [];
  for (const d of PLUGIN_DIRS) listModules(join(root, d), ext, files);
  return files;
}

/** written by the build (scripts/postbuild.mjs): the modules as static imports, and their list */
export const PLUGIN_INDEX = 'plugin_index.js';
export const PLUGIN_LIST = 'plugin_index.json';

/** The build's index lists exactly these modules (none added or removed since). */
export function indexMatches(root: string, files: string[]): boolean {
  try {
    const listed = JSON.parse(readFileSync(join(root, 'core', PLUGIN_LIST), 'utf8')) as string[];
    return listed.length === files.length && files.every((f, i) => relative(root, f) === listed[i]);
  } catch {
    return false;
  }
}

/** Import all plugin modules once; returns the errors (one line each) of modules that failed. */
export function loadPlugins(): Promise<string[]> {
  if (loaded) return loaded;
  loaded = (async () => {
    const here = fileURLToPath(import.meta.url);
    const ext = here.endsWith('.ts') ? '.ts' : '.js';
    const root = dirname(dirname(here));
    const files = pluginFiles(root, ext);
    const errors: string[] = [];
    // the build's index imports the same modules in the same order as one module
    // graph: ~40 ms less start-up than one import() after another (52 vs 92 ms)
    if (ext === '.js' && indexMatches(root, files)) {
      try {
        const spec = './' + PLUGIN_INDEX;
        await import(spec);
        return errors;
      } catch {
        // a module failed: the loop below names it (the others are loaded already)
      }
    }
    for (const f of files) {
      try {
        await import(pathToFileURL(f).href);
      } catch (e) {
        errors.push(`module ${f.slice(root.length + 1)} failed to load: ${(e as Error).message}`);
      }
    }
    return errors;
  })();
  return loaded;
}

/** the build's single-file bundle of the CLI, under dist/ (scripts/postbuild.mjs) */
export const BUNDLE = 'bundle/mip6scope.js';

/**
 * The bundle may stand for dist/: it was made after the last compile (tsc rewrites
 * every module; this one is a witness) and the plugin modules present are exactly
 * those it holds. A module added to dist/ since, or a compile without the bundle
 * step, sends the run to the module graph, which loads what is there.
 */
export function bundleUsable(root: string): boolean {
  try {
    const made = statSync(join(root, BUNDLE)).mtimeMs;
    if (made < statSync(join(root, 'core', 'plugins.js')).mtimeMs) return false;
    return indexMatches(root, pluginFiles(root, '.js'));
  } catch {
    return false;
  }
}
