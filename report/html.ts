// The self-contained HTML report: inline CSS, one inline script (allowed by its
// hash in the Content-Security-Policy, so no other script can run), inline SVG, no
// network. Everything taken from a packet is escaped with escapeHtml (after
// escapeText for control characters).
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Item } from '../core/tree.js';
import type { PacketInfo } from '../core/packet.js';
import { itemLabel } from '../core/format.js';
import { escapeHtml, escapeText } from '../core/escape.js';
import type { Loaded } from './load.js';
import { buildLadder } from './ladder.js';
import { buildTimelines } from '../stats/bindings.js';
import { MH_NAMES, BA_STATUS } from '../stats/mip6events.js';
import { timelineSvg, ladderSvg } from './svg.js';

const h = (s: string) => escapeHtml(escapeText(s));

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 2em 3em;color:#222;background:#fff}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#b00020}.warning{color:#a15c00}.note{color:#0b5394}.chat,.comment{color:#555}
.grid{stroke:#eee}.tick{font-size:11px;fill:#666;text-anchor:middle}.lane{font:12px monospace;fill:#222}.peer{font:10px monospace;fill:#777}
.bar{opacity:.85}.bar.pending{opacity:.35}.barlabel{font:10px monospace;fill:#fff}
.mark{fill:#555}.mark.ok{fill:#2e7d32}.mark.bad{fill:#c62828}.mark.replay{fill:#ef6c00}
.host{font-weight:bold;text-anchor:middle}.hostaddr{font:11px monospace;text-anchor:middle;fill:#444}
.life{stroke:#999;stroke-dasharray:4 3}.arrow{stroke:#333;stroke-width:1.4}.arrow.bad{stroke:#c62828}
.alabel{font:11px monospace;text-anchor:middle;fill:#222}.alabel.bad{fill:#c62828}.ltime{font:10px monospace;fill:#666}
.scroll{overflow-x:auto}
details.pkt{border-bottom:1px solid #eee;padding:2px 0}details.pkt>summary{font-family:monospace;white-space:pre;cursor:pointer}
details.pkt.sev-error>summary{color:#b00020}details.pkt.sev-warning>summary{color:#a15c00}
.tree{font:12px/1.35 monospace;margin:4px 0 8px 1.5em}.tree details{margin-left:1.2em}.tree summary{cursor:pointer}
.tree .leaf{margin-left:2.4em;white-space:pre-wrap}.tree .exp{font-weight:bold}
.toolbar{margin:.5em 0}
`;

const SCRIPT = `
document.documentElement.setAttribute('data-ready','1');
document.getElementById('expand').addEventListener('click',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});
document.getElementById('collapse').addEventListener('click',function(){document.querySelectorAll('details').forEach(function(d){d.open=false})});
document.getElementById('search').addEventListener('input',function(e){var q=e.target.value.toLowerCase();document.querySelectorAll('details.pkt').forEach(function(d){d.style.display=!q||d.textContent.toLowerCase().indexOf(q)>=0?'':'none'})});
`;

function treeHtml(it: Item, out: string[]): void {
  if (it.hidden) return;
  if (it.expert) {
    const e = it.expert;
    out.push(`<div class="leaf exp ${e.severity}">[Expert Info (${h(e.severity)}/${h(e.group ?? 'protocol')}): ${h(e.message)}] <small>${h(e.id)}</small></div>`);
    return;
  }
  // itemLabel is already terminal-safe (escaped once): only HTML-escape it
  const label = escapeHtml(itemLabel(it));
  if (it.children && it.children.some((c) => !c.hidden)) {
    out.push(`<details><summary>${label}</summary>`);
    for (const c of it.children) treeHtml(c, out);
    out.push('</details>');
  } else out.push(`<div class="leaf">${label}</div>`);
}

function packetHtml(p: PacketInfo, t0: number): string {
  const t = (p.raw.tsSec + p.raw.tsNsec / 1e9 - t0).toFixed(6);
  const worst = p.expert.some((e) => e.severity === 'error') ? ' sev-error' : p.expert.some((e) => e.severity === 'warning') ? ' sev-warning' : '';
  const sum = `${String(p.num).padStart(5)} ${t.padStart(11)} ${p.srcText} → ${p.dstText} ${p.proto} ${p.raw.origlen} ${p.info}`;
  const tree: string[] = [];
  for (const top of p.tree?.children ?? []) treeHtml(top, tree);
  return `<details class="pkt${worst}" id="frame-${p.num}"><summary>${h(sum)}</summary><div class="tree">${tree.join('')}</div></details>`;
}

export interface ReportOptions {
  title?: string;
  filter?: string;
  keyring?: string;
  /** packets left out of the detail list (keep limit) */
  omitted?: number;
}

export function buildReport(c: Loaded, o: ReportOptions = {}): string {
  const t0 = c.first;
  const ladder = buildLadder(c.events, c.start);
  const tls = buildTimelines(c.events);
  const types = new Map<number, number>();
  const ba = new Map<number, number>();
  for (const e of c.events) {
    types.set(e.type, (types.get(e.type) ?? 0) + 1);
    if (e.type === 6 && e.status !== undefined) ba.set(e.status, (ba.get(e.status) ?? 0) + 1);
  }
  const expert = new Map<string, { sev: string; id: string; group: string; msg: string; frames: number[] }>();
  const verdicts = new Map<string, number>();
  for (const p of c.packets) {
    for (const e of p.expert) {
      const k = `${e.severity}\0${e.id}\0${e.message}`;
      let r = expert.get(k);
      if (!r) expert.set(k, (r = { sev: e.severity, id: e.id, group: e.group ?? 'protocol', msg: e.message, frames: [] }));
      r.frames.push(p.num);
    }
    for (const v of Object.values((p.data.verify as Record<string, string> | undefined) ?? {})) verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
  }
  const sevRank: Record<string, number> = { error: 0, warning: 1, note: 2, chat: 3, comment: 4 };
  const expRows = [...expert.values()].sort((a, b) => (sevRank[a.sev] ?? 5) - (sevRank[b.sev] ?? 5));
  const span = Number.isNaN(c.last) ? 0 : c.last - c.first;
  const hash = createHash('sha256').update(SCRIPT).digest('base64');
  const title = o.title ?? `mip6scope report: ${basename(c.file)}`;
  const iso = (t: number) => (Number.isNaN(t) ? '-' : new Date(t * 1000).toISOString());
  const out: string[] = [];
  out.push(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'">`,
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${h(title)}</title><style>${CSS}</style></head><body>`);
  out.push(`<h1>${h(title)}</h1>`);
  out.push('<section id="summary"><h2>Summary</h2><table>',
    `<tr><th>Capture</th><td>${h(c.file)} (${h(c.info.format)})</td></tr>`,
    `<tr><th>Packets</th><td class="n">${c.total}</td></tr>`,
    o.filter ? `<tr><th>Display filter</th><td><code>${h(o.filter)}</code> — ${c.shown} packets</td></tr>` : '',
    `<tr><th>Bytes</th><td class="n">${c.bytes}</td></tr>`,
    `<tr><th>First packet</th><td>${iso(c.first)}</td></tr><tr><th>Last packet</th><td>${iso(c.last)}</td></tr>`,
    `<tr><th>Duration</th><td>${span.toFixed(6)} s</td></tr>`,
    `<tr><th>Mobility Header messages</th><td class="n">${c.events.length}</td></tr>`,
    `<tr><th>Home addresses</th><td class="n">${tls.length}</td></tr>`,
    `<tr><th>Key material</th><td>${o.keyring ? 'keyring ' + h(basename(o.keyring)) + ' (keys are not shown)' : 'none'}</td></tr>`,
    c.readError ? `<tr><th class="error">Read error</th><td class="error">${h(c.readError)}</td></tr>` : '',
    '</table>');
  out.push('<h3>Messages</h3><table id="msgs"><tr><th>Type</th><th>Count</th></tr>');
  for (const [t, n] of [...types].sort((a, b) => a[0] - b[0])) out.push(`<tr><td>${h(`${MH_NAMES[t]?.[0] ?? 'Unknown'} (${t})`)}</td><td class="n">${n}</td></tr>`);
  out.push('</table>');
  if (ba.size) {
    out.push('<h3>Binding Acknowledgement status</h3><table id="ba"><tr><th>Status</th><th>Count</th></tr>');
    for (const [s, n] of [...ba].sort((a, b) => a[0] - b[0])) out.push(`<tr class="${s >= 128 ? 'error' : ''}"><td>${s} ${h(BA_STATUS[s] ?? 'Unknown')}</td><td class="n">${n}</td></tr>`);
    out.push('</table>');
  }
  if (verdicts.size) {
    out.push('<h3>Verification verdicts</h3><table id="verdicts"><tr><th>Verdict</th><th>Count</th></tr>');
    for (const [v, n] of verdicts) out.push(`<tr class="${v === 'fail' ? 'error' : ''}"><td>${h(v)}</td><td class="n">${n}</td></tr>`);
    out.push('</table>');
  }
  out.push('</section>');
  out.push(`<section id="bindings"><h2>Bindings timeline</h2><p>One lane per home address; bars are care-of address bindings (faint: no acknowledgement seen), squares are Binding Acknowledgements (green accepted, red rejected), dots other messages (orange: replay, red: problem). Click a mark for the packet.</p><div class="scroll">${timelineSvg(tls, t0, Number.isNaN(c.last) ? t0 : c.last)}</div>`);
  out.push('<table id="bindings-table"><tr><th>Home address</th><th>Care-of address</th><th>Peer</th><th>Status</th><th>BU</th><th>BA</th><th>Lifetime</th><th>From (s)</th></tr>');
  for (const tl of tls) for (const b of tl.periods) {
    out.push(`<tr class="${b.status === 'rejected' ? 'error' : ''}"><td>${h(tl.hoa)}</td><td>${h(b.coa)}</td><td>${h(b.peer)}</td><td>${b.status}</td><td><a href="#frame-${b.buFrame}">${b.buFrame}</a></td><td>${b.acceptedFrame ? `<a href="#frame-${b.acceptedFrame}">${b.acceptedFrame}</a>` : ''}</td><td class="n">${b.lifetime ?? ''}</td><td class="n">${(b.from - t0).toFixed(3)}</td></tr>`);
  }
  out.push('</table>');
  const replays = tls.flatMap((t) => t.replays);
  if (replays.length) out.push(`<p class="warning">Replays (seq.replay): ${replays.map((f) => `<a href="#frame-${f}">${f}</a>`).join(', ')}</p>`);
  out.push('</section>');
  out.push(`<section id="ladder"><h2>Signalling ladder</h2><div class="scroll">${ladderSvg(ladder)}</div></section>`);
  out.push('<section id="expert"><h2>Expert information</h2>');
  if (!expRows.length) out.push('<p>No expert items.</p>');
  else {
    out.push('<table id="expert-table"><tr><th>Severity</th><th>Id</th><th>Group</th><th>Message</th><th>Count</th><th>Frames</th></tr>');
    for (const r of expRows) {
      const frames = r.frames.slice(0, 50).map((f) => `<a href="#frame-${f}">${f}</a>`).join(' ') + (r.frames.length > 50 ? ' …' : '');
      out.push(`<tr class="${h(r.sev)}"><td>${h(r.sev)}</td><td>${h(r.id)}</td><td>${h(r.group)}</td><td>${h(r.msg)}</td><td class="n">${r.frames.length}</td><td>${frames}</td></tr>`);
    }
    out.push('</table>');
  }
  out.push('</section>');
  out.push(`<section id="packets"><h2>Packets</h2><div class="toolbar"><button id="expand" type="button">Expand all</button> <button id="collapse" type="button">Collapse all</button> <input id="search" type="search" placeholder="search packets"></div>`);
  for (const p of c.packets) out.push(packetHtml(p, t0));
  if (o.omitted) out.push(`<p>${o.omitted} more packets are not listed (use -Y to narrow the report).</p>`);
  out.push('</section>');
  out.push(`<footer><p><small>Generated by mip6scope. Self-contained: no scripts other than the expand/search helper, no network access.</small></p></footer>`);
  out.push(`<script>${SCRIPT}</script></body></html>`);
  return out.filter(Boolean).join('\n');
}
