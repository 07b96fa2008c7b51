import { summaryLine } from './summary.js';
import { treeText } from './text.js';
import { packetHex } from './hex.js';
import { jsonPacket, ekPacket } from './json.js';
import { FieldsPrinter } from './fields.js';
import { formatTime } from './time.js';
import { escapeText } from '../core/escape.js';
import { PREV_DISPLAYED, DISPLAY_TRACKED } from '../dissectors/frame.js';
/** tshark's _index date: the packet's local date */
export function dateIndex(p) {
    const d = new Date(p.tsSec * 1000);
    const m = d.getMonth() + 1;
    const day = d.getDate();
    return `${d.getFullYear()}-${m < 10 ? '0' + m : m}-${day < 10 ? '0' + day : day}`;
}
export class PacketPrinter {
    out;
    o;
    first = true;
    fp = null;
    detail;
    constructor(out, o) {
        this.out = out;
        this.o = o;
        this.detail = o.verbose || !!o.only;
        if (o.format === 'fields')
            this.fp = new FieldsPrinter(o.fields, o.fopts, { timeFormat: o.timeFormat, digits: o.digits });
    }
    /** Let frame.time_delta_displayed follow what is displayed (call once, before the first packet). */
    trackDisplayed(engine) {
        engine.state[DISPLAY_TRACKED] = true;
        delete engine.state[PREV_DISPLAYED];
    }
    /** Record a displayed packet (also when -q prints nothing). */
    displayed(engine, raw) {
        engine.state[PREV_DISPLAYED] = [raw.tsSec, raw.tsNsec];
    }
    begin() {
        if (this.o.format === 'json')
            this.out.write('[');
        else if (this.fp && this.o.fopts.header)
            this.out.line(this.fp.header());
    }
    packet(p, refs) {
        const o = this.o;
        const out = this.out;
        switch (o.format) {
            case 'json':
                out.write((this.first ? '\n' : ',\n') + jsonPacket(p, dateIndex(p.raw), o.json));
                break;
            case 'ek':
                out.write(ekPacket(p, dateIndex(p.raw)) + '\n');
                break;
            case 'fields':
                out.write(this.fp.line(p, refs) + '\n');
                break;
            case 'tabs':
                if (!this.detail && !o.hex) {
                    out.write(this.tabsLine(p, refs) + '\n');
                    break;
                }
            // falls through: -T tabs with -V or -x prints as text
            default:
                if (this.detail)
                    out.write(treeText(p, { only: o.only, hex: o.hex, chalk: o.chalk }) + '\n');
                if (o.hex)
                    out.write(packetHex(p) + '\n');
                if (!this.detail && !o.hex)
                    out.write(summaryLine(p, refs, { timeFormat: o.timeFormat, digits: o.digits, chalk: o.chalk }) + '\n');
        }
        this.first = false;
        if (o.lineBuffered)
            out.flush();
    }
    /** -T tabs: the summary columns separated by tabs (tshark keeps the number and time padding) */
    tabsLine(p, refs) {
        const num = String(p.num);
        const time = formatTime(this.o.timeFormat, p.raw.tsSec, p.raw.tsNsec, refs, p.raw.tsDigits ?? this.o.digits);
        const pad = (t, w) => (t.length >= w ? t : ' '.repeat(w - t.length) + t);
        return `${pad(num, 5)}\t${pad(time, 10)}\t${p.srcText}\t→\t${p.dstText}\t${escapeText(p.proto)}\t${p.raw.origlen}\t${escapeText(p.info)}`;
    }
    finish() {
        if (this.o.format === 'json')
            this.out.write(this.first ? ']\n' : '\n]\n');
    }
}
