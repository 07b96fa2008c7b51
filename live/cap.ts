// Lazy loader for the optional `cap` package (libpcap binding). File reading never
// touches it; -i, -D and replay load it on demand and explain when it is missing.
import { createRequire } from 'node:module';
import { UsageError } from '../cli/errors.js';

export interface CapDevice {
  name: string;
  description?: string;
  addresses?: Array<{ addr?: string; netmask?: string }>;
  flags?: string;
}

export interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  send(b: Buffer, n?: number): void;
  on(ev: 'packet', fn: (nbytes: number, truncated: boolean) => void): void;
  setMinBytes?(n: number): void;
}

export interface CapModule {
  Cap: { new (): CapHandle; deviceList(): CapDevice[]; findDevice(ip?: string): string | undefined };
}

let mod: CapModule | null = null;

export function loadCap(): CapModule {
  if (mod) return mod;
  try {
    const require = createRequire(import.meta.url);
    mod = require('cap') as CapModule;
    return mod;
  } catch (e) {
    throw new UsageError(`live capture needs the optional "cap" package built against libpcap (apt-get install libpcap-dev; npm install cap): ${(e as Error).message.split('\n')[0]}`);
  }
}

/** cap's link-type names to pcap LINKTYPE_ numbers. */
export function linktypeNumber(name: string): number {
  switch (name) {
    case 'ETHERNET': return 1;
    case 'NULL': return 0;
    case 'RAW': return 101;
    case 'LINKTYPE_LINUX_SLL': return 113;
    case 'IEEE802_11_RADIO': return 127;
    default: return 147; // user-defined: shown as data
  }
}

/** Open a device; turns libpcap's errors (no such device, no permission) into one line. */
export function openDevice(iface: string, filter: string, snaplen: number): { cap: CapHandle; buffer: Buffer; linktype: number } {
  const { Cap } = loadCap();
  // libpcap prints its own warnings for unknown devices: ask first, answer in one line
  if (!Cap.deviceList().some((d) => d.name === iface)) throw new UsageError(`cannot capture on "${iface}": no such interface (see: mip6scope -D)`);
  const cap = new Cap();
  const buffer = Buffer.alloc(snaplen);
  let lt: string;
  try {
    lt = cap.open(iface, filter, 10 * 1024 * 1024, buffer);
  } catch (e) {
    const m = (e as Error).message;
    if (/permi|privileg|EPERM/i.test(m)) throw new UsageError(`cannot capture on "${iface}": ${m} (live capture needs root or CAP_NET_RAW)`);
    throw new UsageError(`cannot capture on "${iface}": ${m}`);
  }
  cap.setMinBytes?.(0);
  return { cap, buffer, linktype: linktypeNumber(lt) };
}
