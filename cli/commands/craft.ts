// mip6scope craft SCENARIO.json -w out.pcap [-k KEYRING]: build RFC 6275 signalling
// from a JSON scenario, with checksums, padding and (with keys) tokens and
// authenticators filled in; `override` makes a packet broken on purpose.
import * as fs from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { registerCommand, parseCommand } from '../commands.js';
import { UsageError } from '../errors.js';
import { parseScenario, ScenarioError } from '../../craft/scenario.js';
import { craft, loadCraftModules } from '../../craft/build.js';
import { craftMessageNames, craftOptionNames } from '../../craft/registry.js';
import { pcapFile } from '../../craft/encode.js';

function readJson(path: string, what: string): any {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e: any) {
    throw new UsageError(`cannot read ${what} "${path}": ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new UsageError(`${what} "${path}" is not valid JSON: ${e.message}`);
  }
}

async function run(args: string[]): Promise<number> {
  const p = new Command('mip6scope craft')
    .description('build Mobile IPv6 signalling (RFC 6275, LKE, cookies, CBU) from a JSON scenario into a pcap file')
    .argument('[scenario]', 'scenario JSON (see fixtures/craft/)')
    .option('-w, --write <file>', 'output pcap ("-" = standard output)')
    .option('-k, --keyring <file>', 'keyring JSON (spec §6) for tokens, MACs and keys; else the scenario\'s "keyring"')
    .option('--list', 'list the message names and option kinds scenarios may use');
  if (!parseCommand(p, args)) return 0;
  const o = p.opts();
  if (o.list) {
    await loadCraftModules();
    process.stdout.write(`messages: ${craftMessageNames().join(' ')}\noptions: ${craftOptionNames().join(' ')}\n`);
    return 0;
  }
  const file = p.args[0];
  if (!file) throw new UsageError('craft: a scenario file is required (or --list)');
  if (!o.write) throw new UsageError("craft: -w FILE is required (where the pcap goes; '-' for standard output)");
  const doc = readJson(file, 'scenario');
  let keyring: any;
  if (o.keyring) keyring = readJson(o.keyring, 'keyring');
  else if (typeof doc?.keyring === 'string') keyring = readJson(resolve(dirname(file), doc.keyring), 'keyring');
  let pcap: Buffer;
  try {
    const sc = parseScenario(doc, keyring, dirname(resolve(file)));
    pcap = pcapFile(sc.linktype, await craft(sc));
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(`scenario "${file}": ${e.message}`);
    throw e;
  }
  if (o.write === '-') fs.writeSync(1, pcap);
  else fs.writeFileSync(o.write, pcap);
  return 0;
}

registerCommand({ name: 'craft', summary: 'build signalling from a JSON scenario (checksums, tokens, authenticators)', run });
