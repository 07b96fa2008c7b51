import { summaryLine } from './summary.js';
import { treeText } from './text.js';
import { packetHex } from './hex.js';
import { jsonPacket, ekPacket } from './json.js';
import { FieldsPrinter } from './fields.js';
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
            this.out.write('[\n');
        else if (this.fp && this.o.fopts.header)
            this.out.line(this.fp.header());
    }
    packet(p, refs) {
        const o = this.o;
        const out = this.out;
        switch (o.format) {
            case 'json':
                out.write((this.first ? '' : ',\n') + jsonPacket(p, dateIndex(p.raw), o.json));
                break;
            case 'ek':
                out.write(ekPacket(p, dateIndex(p.raw)) + '\n');
                break;
            case 'fields':
                out.write(this.fp.line(p, refs) + '\n');
                break;
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
    finish() {
        if (this.o.format === 'json')
            this.out.write(this.first ? ']\n' : '\n]\n');
    }
}
