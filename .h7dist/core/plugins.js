// Loads every protocol and analysis module: each registers itself in the tables,
// so adding a protocol is adding a file, never editing the core.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
/** Folders (next to core/) whose modules register dissectors, analyzers and verifiers. */
export const PLUGIN_DIRS = ['dissectors', 'analysis', 'verify', 'stats', 'cli/commands'];
let loaded = null;
function listModules(dir, ext, out) {
    let names;
    try {
        names = readdirSync(dir).sort();
    }
    catch {
        return;
    }
    for (const n of names) {
        const p = join(dir, n);
        if (statSync(p).isDirectory())
            listModules(p, ext, out);
        else if (n.endsWith(ext) && !n.endsWith('.d.ts') && !n.endsWith('.test' + ext))
            out.push(p);
    }
}
/** Import all plugin modules once; returns the errors (one line each) of modules that failed. */
export function loadPlugins() {
    if (loaded)
        return loaded;
    loaded = (async () => {
        const here = fileURLToPath(import.meta.url);
        const ext = here.endsWith('.ts') ? '.ts' : '.js';
        const root = dirname(dirname(here));
        const files = [];
        for (const d of PLUGIN_DIRS)
            listModules(join(root, d), ext, files);
        const errors = [];
        for (const f of files) {
            try {
                await import(pathToFileURL(f).href);
            }
            catch (e) {
                errors.push(`module ${f.slice(root.length + 1)} failed to load: ${e.message}`);
            }
        }
        return errors;
    })();
    return loaded;
}
