// A worker lane of cli/parallel.ts: the same setup as runDissect's, then the
// shared lane loop; each finished batch goes to the main thread as encoded octets.
import { workerData } from 'node:worker_threads';
import { Chalk } from 'chalk';
import { loadPlugins } from '../core/plugins.js';
import { applyDecodeAs } from '../core/tables.js';
import { setPref, applyPrefs } from '../core/prefs.js';
import { Engine } from '../core/engine.js';
import { openCaptureSource, ReaderError } from '../readers/open.js';
import { BatchOut, Out } from '../output/writer.js';
import { PacketSink } from './sink.js';
import { runLane, portSource, signalMain, statelessProbe, LaneWriter, type LaneData, type LaneMsg } from './parallel.js';
import { laneSinkContext } from './dissect.js';

const d = workerData as LaneData;
const post = (m: LaneMsg, transfer: ArrayBuffer[] = []) => {
  d.output.postMessage(m, transfer);
  signalMain(d.ctl);
};

try {
  await loadPlugins();
  const a = d.args;
  // the main thread has checked every argument: these cannot fail here
  for (const r of a.decodeAs) applyDecodeAs(r);
  for (const o of a.prefs) setPref(o);
  applyPrefs();
  const cap = openCaptureSource(portSource(d, a.file === '-' ? 'standard input' : a.file!));
  const out = new BatchOut();
  const engine = new Engine({ passes: 1 });
  const sink = new PacketSink(a, laneSinkContext(a, cap, out, engine, new Chalk({ level: d.chalkLevel })));
  if (d.lane === 0) sink.begin(); // opening text (JSON's "[") before batch 0
  const writer = new LaneWriter(d, new Out(1));
  let error: string | null = null;
  try {
    runLane(cap, sink, out, d.lane, d.lanes, {
      start: () => writer.write(true),
      done: (b, bo) => writer.add(b, bo),
    }, statelessProbe(a, engine));
  } catch (e) {
    if (!(e instanceof ReaderError)) throw e;
    error = e.message;
  }
  writer.write(true);
  sink.finish(); // closing text (JSON's "]"): the same in every lane
  const final = out.take();
  post({ done: true, final, error, frames: sink.num }, [final.buffer as ArrayBuffer]);
} catch (e) {
  post({ fatal: (e as Error).stack ?? String(e) });
}
