// -z io,stat,INTERVAL[,FILTER[,FILTER...]]: frames and bytes per interval and per
// filter column, in tshark 4.0's table layout (integer microsecond arithmetic, as
// tshark: rows = duration / interval, plus one when the remainder is >= 0.5 s).
import { registerTap, type Tap } from '../output/taps.js';
import { compileFilter, type PacketFilter } from '../filter/index.js';
import type { Engine } from '../core/engine.js';

interface Col {
  text: string;
  flt: PacketFilter | null;
  frames: number[];
  bytes: number[];
}

function parseInterval(s: string): number {
  if (!/^\d+(\.\d{1,6})?$|^\.\d{1,6}$/.test(s)) throw new Error(`"${s}" is not a valid interval (seconds, up to 6 decimals)`);
  const [i, f = ''] = s.split('.');
  return Number(i || 0) * 1e6 + Number((f + '000000').slice(0, 6));
}

registerTap({
  prefix: 'io,stat',
  help: 'io,stat,INTERVAL[,FILTER...]: frames and bytes per interval (tshark layout; 0 = whole capture)',
  create(arg): Tap {
    const parts = arg.split(',').slice(2);
    if (!parts.length) throw new Error('missing interval: io,stat,INTERVAL[,FILTER...]');
    let interval = parseInterval(parts[0]!.trim());
    const texts = parts.length > 1 ? parts.slice(1) : [''];
    const cols: Col[] = texts.map((t) => ({ text: t.trim(), flt: t.trim() ? compileFilter(t.trim()) : null, frames: [], bytes: [] }));
    // per packet: relative time (µs) and which columns it counts in
    const pkts: Array<{ t: number; len: number; hits: boolean[] }> = [];
    let maxT = 0;
    return {
      needsTree: cols.some((c) => c.flt && c.flt.needsTree !== false),
      packet(p) {
        const eng = p.data.engine as Engine | undefined;
        const t = eng ? (p.raw.tsSec - eng.firstSec) * 1e6 + Math.round((p.raw.tsNsec - eng.firstNsec) / 1000) : 0;
        if (t > maxT) maxT = t;
        pkts.push({ t, len: p.raw.origlen, hits: cols.map((c) => !c.flt || c.flt(p)) });
      },
      finish(out) {
        const duration = maxT;
        if (interval === 0 || interval > duration) interval = duration || 1;
        let prec = 0;
        while (prec < 6 && interval % 10 ** (6 - prec) !== 0) prec++;
        const durMag = String(Math.floor(duration / 1e6)).length;
        let rows = Math.floor(duration / interval) + ((duration % interval) + 500000 >= 1000000 ? 1 : 0);
        if (rows < 1) rows = 1;
        for (const c of cols) {
          c.frames = new Array(rows).fill(0);
          c.bytes = new Array(rows).fill(0);
        }
        for (const k of pkts) {
          // as tshark 4.0: a packet past the last row (exactly at the end when the
          // interval divides the duration) is not counted
          const r = Math.floor(k.t / interval);
          if (r >= rows) continue;
          cols.forEach((c, j) => {
            if (k.hits[j]) {
              c.frames[r]!++;
              c.bytes[r]! += k.len;
            }
          });
        }
        const fmtT = (us: number) => {
          const i = String(Math.floor(us / 1e6)).padStart(durMag);
          return prec === 0 ? i : i + '.' + String(Math.floor((us % 1e6) / 10 ** (6 - prec))).padStart(prec, '0');
        };
        const durText = prec === 0 ? (duration / 1e6).toFixed(6) : `${Math.floor(duration / 1e6)}.${String(Math.floor((duration % 1e6) / 10 ** (6 - prec))).padStart(prec, '0')}`;
        const W = durMag + (prec ? prec + 1 : 0);
        const invlInner = 1 + W + 4 + W + 1;
        const frW = cols.map((c) => Math.max(6, String(Math.max(0, ...c.frames)).length));
        const valW = cols.map((c) => Math.max(5, String(Math.max(0, ...c.bytes)).length));
        const colW = cols.map((_, j) => frW[j]! + 3 + valW[j]! + 2);
        const tabrow = 1 + invlInner + 1 + colW.reduce((a, w) => a + w + 1, 0);
        let border = tabrow;
        const maxFlt = Math.max(...cols.map((c) => (c.text ? c.text.length + 11 : 26)));
        if (maxFlt > border && border < 102) border = Math.min(maxFlt, 102);
        if (border - tabrow === 1) border++;
        const filler = tabrow < border ? ' '.repeat(border - tabrow - 1) + '|' : '';
        const boxed = (s: string) => out.line(s.padEnd(border - 1) + '|');
        const center = (s: string, w: number) => {
          const l = Math.floor((w - s.length) / 2);
          return ' '.repeat(Math.max(0, l)) + s + ' '.repeat(Math.max(0, w - s.length - l));
        };
        out.line('');
        out.line('='.repeat(border));
        boxed('| IO Statistics');
        boxed('|');
        boxed(`| Duration: ${durText} secs`);
        boxed(`| Interval: ${fmtT(interval)} secs`);
        boxed('|');
        cols.forEach((c, j) => {
          let text = c.text || 'Frames and bytes';
          let prefix = j === 0 ? `| Col${String(j + 1).padStart(2)}: ` : `|    ${String(j + 1).padStart(2)}: `;
          const maxW = border - 11;
          while (text.length > maxW) {
            const cut = text.slice(0, maxW);
            const sp = cut.lastIndexOf(' ');
            const len = sp >= 0 ? sp : cut.length;
            boxed(prefix + text.slice(0, len));
            text = text.slice(sp >= 0 ? len + 1 : len);
            prefix = '|        ';
          }
          boxed(prefix + text);
        });
        out.line('|-' + '-'.repeat(border - 3) + '|');
        out.line('|' + ' '.repeat(invlInner) + '|' + cols.map((_, j) => String(j + 1).padEnd(colW[j]!) + '|').join('') + filler);
        out.line('| Interval' + ' '.repeat(invlInner - 9) + '|' + cols.map((_, j) => center('Frames', frW[j]! + 2) + '|' + center('Bytes', valW[j]! + 2) + '|').join('') + filler);
        out.line('|-' + '-'.repeat(tabrow - 3) + '|' + filler);
        for (let r = 0; r < rows; r++) {
          const t0 = r * interval;
          const last = r === rows - 1;
          const end = last ? (prec === 0 ? 'Dur'.padEnd(durMag + 1) : fmtT(duration) + ' ') : fmtT(t0 + interval) + ' ';
          let line = `| ${fmtT(t0)} <> ${end}|`;
          cols.forEach((c, j) => {
            line += ` ${String(c.frames[r]).padStart(frW[j]!)} | ${String(c.bytes[r]).padStart(valW[j]!)} |`;
          });
          out.line(line + filler);
        }
        out.line('='.repeat(border));
      },
    };
  },
});
