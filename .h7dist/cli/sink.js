import { Out } from '../output/writer.js';
import { PacketPrinter } from '../output/printer.js';
import { openWriter } from '../output/pcapwriter.js';
export class PacketSink {
    a;
    c;
    refs = { firstSec: NaN, firstNsec: 0, prevSec: NaN, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 };
    writer = null;
    num = 0;
    shown = 0;
    /** the output formats (output/printer.ts) */
    printer;
    constructor(a, c) {
        this.a = a;
        this.c = c;
        this.printer = new PacketPrinter(c.out, {
            format: a.format, verbose: a.verbose, hex: a.hex, only: c.only, fields: a.fields, fopts: c.fopts, json: c.json,
            timeFormat: a.timeFormat, digits: c.digits, chalk: c.chalk, lineBuffered: a.lineBuffered,
        });
        this.printer.trackDisplayed(c.engine);
    }
    begin() {
        // -w: create the file now (bad path reported first; no match = empty capture)
        if (this.a.writeFile)
            this.writer = openWriter(this.a.writeFile, null, this.c.nanosecond);
        this.printer.begin();
    }
    /** Handle one packet; false = stop reading (count reached, output closed). */
    handle(raw) {
        const { a, c, refs } = this;
        this.num++;
        if (Number.isNaN(refs.firstSec)) {
            refs.firstSec = raw.tsSec;
            refs.firstNsec = raw.tsNsec;
        }
        const p = c.engine.dissect(raw, this.num, c.wantTree);
        if (!c.readFilter || c.readFilter(p)) {
            if (!c.filter || c.filter(p)) {
                this.shown++;
                this.printer.displayed(c.engine, raw);
                for (const t of c.taps)
                    t.packet(p);
                if (a.writeFile) {
                    this.writer ??= openWriter(a.writeFile, raw.linktype, c.nanosecond);
                    this.writer.write(raw);
                }
                // like tshark: -w prints no packet lines (statistics still print)
                if (!a.quiet && !a.writeFile)
                    this.emit(p, raw);
                refs.prevDispSec = raw.tsSec;
                refs.prevDispNsec = raw.tsNsec;
            }
        }
        refs.prevSec = raw.tsSec;
        refs.prevNsec = raw.tsNsec;
        return !c.out.closed && this.shown < c.count;
    }
    emit(p, _raw) {
        this.printer.packet(p, this.refs);
    }
    finish() {
        const { a, c } = this;
        this.printer.finish();
        // with -w - the capture owns standard output: statistics go to stderr
        const tapOut = a.writeFile === '-' ? new Out(2) : c.out;
        for (const t of c.taps)
            t.finish(tapOut);
        if (tapOut !== c.out)
            tapOut.flush();
        this.writer?.close();
        c.out.flush();
    }
}
