import { itemLabel } from '../core/format.js';
import { escapeText } from '../core/escape.js';
import { hexDumpLines, sourceBuffer } from './hex.js';
const SEV = { error: 'Error', warning: 'Warning', note: 'Note', chat: 'Chat', comment: 'Comment' };
const INDENT = [''];
function indent(d) {
    while (INDENT.length <= d)
        INDENT.push(INDENT[INDENT.length - 1] + '    ');
    return INDENT[d];
}
function cap(s) {
    return s.charAt(0).toUpperCase() + s.slice(1);
}
class TreeWriter {
    p;
    o;
    s = '';
    constructor(p, o) {
        this.p = p;
        this.o = o;
    }
    line(depth, text, style) {
        this.s += indent(depth) + (style ? style(text) : text) + '\n';
    }
    expert(it, depth) {
        const e = it.expert;
        const g = cap(e.group ?? 'protocol');
        const sev = SEV[e.severity] ?? cap(e.severity);
        const msg = escapeText(e.message);
        const c = this.o.chalk;
        const style = c && c.level > 0 ? (e.severity === 'error' ? c.red : e.severity === 'warning' ? c.yellow : e.severity === 'comment' ? c.green : c.cyan) : undefined;
        this.line(depth, `[Expert Info (${sev}/${g}): ${msg}]`, style);
        this.line(depth + 1, `[${msg}]`, style);
        this.line(depth + 1, `[Severity level: ${sev}]`, style);
        this.line(depth + 1, `[Group: ${g}]`, style);
    }
    item(it, depth) {
        if (it.hidden)
            return;
        if (it.expert) {
            this.expert(it, depth);
            return;
        }
        const f = it.field;
        const c = this.o.chalk;
        const style = c && c.level > 0 ? (depth === 0 ? c.bold : it.generated ? c.dim : undefined) : undefined;
        this.line(depth, itemLabel(it), style);
        if (f && f.abbrev === 'data' && f.type === 'protocol' && !this.o.hex && it.length > 0) {
            // tshark -V: uninterpreted data is dumped in hex under its item
            const buf = sourceBuffer(this.p, it.ds);
            if (buf)
                this.s += '\n' + hexDumpLines(buf.subarray(it.offset, Math.min(buf.length, it.offset + it.length)));
        }
        const kids = it.children;
        if (kids)
            for (let i = 0; i < kids.length; i++)
                this.item(kids[i], depth + 1);
    }
    /** -O: a top line only, but protocols named in -O nested below it are expanded */
    collapsed(it, depth) {
        if (it.hidden)
            return;
        if (it.expert)
            return;
        const only = this.o.only;
        if (it.field && only.has(it.field.abbrev)) {
            this.item(it, depth);
            return;
        }
        if (depth === 0)
            this.line(0, itemLabel(it), this.o.chalk && this.o.chalk.level > 0 ? this.o.chalk.bold : undefined);
        const kids = it.children;
        if (kids)
            for (let i = 0; i < kids.length; i++)
                if (kids[i].children)
                    this.collapsed(kids[i], depth + 1);
    }
}
/**
 * Render a packet's tree, without the blank line tshark prints after each packet.
 * `only` (from -O) limits expansion to those protocols; the others show their top
 * line only, as tshark does.
 */
export function treeText(p, only) {
    const o = only instanceof Set ? { only } : only ?? {};
    const root = p.tree;
    if (!root?.children)
        return '';
    const w = new TreeWriter(p, o);
    for (const top of root.children) {
        if (o.only)
            w.collapsed(top, 0);
        else
            w.item(top, 0);
    }
    return w.s;
}
