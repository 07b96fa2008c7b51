// mip6scope replay -r FILE -i IFACE [--speed X | --pps N | --topspeed] [-c N]
// Sends a capture's packets on an interface with the optional `cap` package.
import { Command } from 'commander';
import { registerCommand, parseCommand } from '../commands.js';
import { UsageError } from '../errors.js';
import { openCapture, ReaderError } from '../../readers/open.js';
import { openDevice } from '../../live/cap.js';
import { escapeText } from '../../core/escape.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Frame a packet for the device's link type; null when it cannot be sent there. */
export function frameFor(devLinktype: number, linktype: number, data: Buffer): Buffer | null {
  if (devLinktype === linktype) return data;
  if (devLinktype === 1 && (linktype === 101 || linktype === 229)) {
    const v = data.length ? data[0]! >> 4 : 0;
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(v === 4 ? 0x0800 : 0x86dd, 12);
    return Buffer.concat([eth, data]);
  }
  return null;
}

async function run(args: string[]): Promise<number> {
  const p = new Command('mip6scope replay')
    .description('send the packets of a capture on an interface (needs root and the optional "cap" package)')
    .requiredOption('-r, --read-file <file>', 'capture to replay')
    .requiredOption('-i, --interface <iface>', 'interface to send on')
    .option('--speed <x>', 'multiply the original pace by x (2 = twice as fast)', '1')
    .option('--pps <n>', 'send at a fixed rate of n packets per second')
    .option('--topspeed', 'send as fast as possible')
    .option('-c, --count <n>', 'send at most n packets');
  if (!parseCommand(p, args)) return 0;
  const o = p.opts();
  const speed = Number(o.speed);
  if (!(speed > 0)) throw new UsageError(`invalid --speed "${o.speed}": a positive number`);
  const pps = o.pps === undefined ? null : Number(o.pps);
  if (pps !== null && !(pps > 0)) throw new UsageError(`invalid --pps "${o.pps}": a positive number`);
  const count = o.count === undefined ? Infinity : Number(o.count);
  if (!(count > 0)) throw new UsageError(`invalid -c "${o.count}"`);
  let cap;
  try {
    cap = openCapture(o.readFile);
  } catch (e) {
    if (e instanceof ReaderError) throw new UsageError(e.message);
    throw e;
  }
  const dev = openDevice(o.interface, '', 65535);
  let sent = 0;
  let skipped = 0;
  let first: number | null = null;
  const t0 = performance.now();
  try {
    for (const raw of cap.packets) {
      if (sent + skipped >= count) break;
      const ts = raw.tsSec + raw.tsNsec / 1e9;
      first ??= ts;
      if (!o.topspeed) {
        const due = pps !== null ? ((sent + skipped) / pps) * 1000 : ((ts - first) / speed) * 1000;
        const wait = due - (performance.now() - t0);
        if (wait > 1) await sleep(wait);
      }
      const f = frameFor(dev.linktype, raw.linktype, raw.data);
      if (!f) {
        skipped++;
        continue;
      }
      dev.cap.send(f, f.length);
      sent++;
    }
  } catch (e) {
    if (e instanceof ReaderError) {
      process.stderr.write(`mip6scope: ${escapeText(e.message)} (after ${sent + skipped} packets)\n`);
      dev.cap.close();
      return 2;
    }
    throw e;
  }
  dev.cap.close();
  process.stderr.write(`${sent} packet${sent === 1 ? '' : 's'} sent on '${escapeText(o.interface)}'${skipped ? `, ${skipped} skipped (link type does not fit the interface)` : ''}\n`);
  return 0;
}

registerCommand({ name: 'replay', summary: 'send a capture\'s packets on an interface (--speed, --pps, --topspeed)', run });
