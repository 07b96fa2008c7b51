// -z mip6,msgs: Mobility Header messages per type and Binding Acknowledgement /
// Binding Error status, with names (like tshark's stats tables).
import { registerTap, type Tap } from '../output/taps.js';
import { mobilityEvent, MH_NAMES, BA_STATUS, BE_STATUS } from './mip6events.js';
import { compileFilter } from '../filter/index.js';

const RULE = '='.repeat(80);

registerTap({
  prefix: 'mip6,msgs',
  help: 'mip6,msgs[,FILTER]: Mobility Header messages per type and per BA/BE status',
  create(arg): Tap {
    const flt = arg.length > 'mip6,msgs'.length ? compileFilter(arg.slice('mip6,msgs,'.length)) : null;
    const types = new Map<number, number>();
    const ba = new Map<number, number>();
    const be = new Map<number, number>();
    let total = 0;
    let malformed = 0;
    return {
      needsTree: !!flt && flt.needsTree !== false,
      packet(p) {
        if (flt && !flt(p)) return;
        const e = mobilityEvent(p);
        if (!e) return;
        total++;
        if (e.malformed) malformed++;
        types.set(e.type, (types.get(e.type) ?? 0) + 1);
        if (e.status !== undefined && (e.type === 6)) ba.set(e.status, (ba.get(e.status) ?? 0) + 1);
        if (e.status !== undefined && e.type === 7) be.set(e.status, (be.get(e.status) ?? 0) + 1);
      },
      finish(out) {
        out.line('');
        out.line(RULE);
        out.line('Mobile IPv6 messages' + (flt ? `  (filter: ${arg.slice('mip6,msgs,'.length)})` : ''));
        out.line(RULE);
        out.line(`${'Message type'.padEnd(60)} ${'Count'.padStart(8)}`);
        for (const [t, n] of [...types].sort((a, b) => a[0] - b[0])) {
          out.line(`${`${MH_NAMES[t]?.[0] ?? 'Unknown'} (${t})`.padEnd(60)} ${String(n).padStart(8)}`);
        }
        out.line(`${'Total Mobility Header messages'.padEnd(60)} ${String(total).padStart(8)}`);
        if (malformed) out.line(`${'  of which malformed'.padEnd(60)} ${String(malformed).padStart(8)}`);
        const table = (title: string, m: Map<number, number>, names: Record<number, string>) => {
          if (!m.size) return;
          out.line('');
          out.line(`${title.padEnd(60)} ${'Count'.padStart(8)}`);
          for (const [s, n] of [...m].sort((a, b) => a[0] - b[0])) {
            const verdict = title.startsWith('Binding Ack') ? (s < 128 ? 'accepted' : 'rejected') + ': ' : '';
            out.line(`${`  ${s} ${verdict}${names[s] ?? 'Unknown'}`.padEnd(60)} ${String(n).padStart(8)}`);
          }
        };
        table('Binding Acknowledgement status', ba, BA_STATUS);
        table('Binding Error status', be, BE_STATUS);
        out.line(RULE);
      },
    };
  },
});
