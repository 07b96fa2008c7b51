// A progress bar on stderr while a large capture file is read. Shown only when
// stderr AND stdout are terminals (never into a pipe or a file, never for standard
// input), and not with --no-progress. The bar shares the terminal with the packet
// lines on stdout, so the Out writer clears it before each flush and redraws it after.
import { Out } from './writer.js';
/** files smaller than this finish too fast for a bar to help */
export const PROGRESS_MIN_SIZE = 8 * 1024 * 1024;
/** at most this often (ms) */
const REDRAW_MS = 150;
export function progressWanted(c) {
    const env = c.env ?? process.env;
    if (!c.enabled || c.stdin || !c.stderrTTY || !c.stdoutTTY)
        return false;
    if (env.TERM === 'dumb' || env.CI)
        return false;
    return c.size >= PROGRESS_MIN_SIZE;
}
function mb(n) {
    return (n / 1048576).toFixed(1) + ' MB';
}
export class Progress {
    total;
    write;
    columns;
    last = 0;
    shown = false;
    text = '';
    t0 = Date.now();
    constructor(total, write, columns = 80) {
        this.total = total;
        this.write = write;
        this.columns = columns;
    }
    /** Throttled: draws at most every REDRAW_MS. */
    update(pos, packets) {
        const now = Date.now();
        if (now - this.last < REDRAW_MS)
            return;
        this.last = now;
        const frac = this.total > 0 ? Math.min(1, pos / this.total) : 0;
        const secs = (now - this.t0) / 1000;
        const rate = secs > 0 ? Math.round(packets / secs) : 0;
        const tail = ` ${String(Math.floor(frac * 100)).padStart(3)}% ${mb(pos)}/${mb(this.total)} ${packets} pkts ${rate} pkts/s`;
        const width = Math.max(10, Math.min(40, this.columns - tail.length - 3));
        const fill = Math.round(frac * width);
        this.text = '[' + '#'.repeat(fill) + '.'.repeat(width - fill) + ']' + tail;
        this.draw();
    }
    draw() {
        if (!this.text)
            return;
        this.write('\r\x1b[K' + this.text);
        this.shown = true;
    }
    clear() {
        if (!this.shown)
            return;
        this.write('\r\x1b[K');
        this.shown = false;
    }
    done() {
        this.clear();
        this.text = '';
    }
}
/** stdout writer that keeps the bar off the packet lines: clear, write, redraw */
export class ProgressOut extends Out {
    progress = null;
    flush() {
        const p = this.progress;
        if (!p)
            return super.flush();
        p.clear();
        super.flush();
        p.draw();
    }
}
