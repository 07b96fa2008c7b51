// One frame as read from a capture, and the per-packet state dissectors share
// (Wireshark's packet_info): columns, addresses, expert items, the IP context that
// upper layers need (pseudo-header addresses, Home Address option, type 2 RH).
import type { Expert, Severity } from './expert.js';
import type { Item } from './tree.js';
import { ipv6ToString, ipv4ToString, etherToString } from './addr.js';

export interface RawPacket {
  tsSec: number;
  tsNsec: number;
  caplen: number;
  origlen: number;
  linktype: number;
  data: Buffer;
  ifIndex?: number;
  ifName?: string;
  comments?: string[];
  /** reader's file offset of the record (for error messages) */
  fileOffset?: number;
  /** time stamp precision in fractional digits (pcap µs 6, ns 9; pcapng per if_tsresol) */
  tsDigits?: number;
  /** true when the record carries no time stamp (pcapng SPB): the Time column is blank */
  noTs?: boolean;
  /** octets of FCS at the end of each frame (pcap link-type word, pcapng if_fcslen) */
  fcsLen?: number;
  /** pcapng section number, from 1 */
  section?: number;
  /** pcapng if_description of the packet's interface (frame.interface_description) */
  ifDescription?: string;
}

export interface IpLayer {
  version: 4 | 6;
  src: Buffer;
  dst: Buffer;
  hlim: number;
  /** offset of the IP header in the frame */
  offset: number;
  /** end of the IP payload as claimed by the header (reported) */
  payloadEnd: number;
  /** Home Address destination option (RFC 6275 6.3) */
  hoa: Buffer | null;
  /** address of a type 2 routing header */
  rh2: Buffer | null;
  /** final destination from any routing header (pseudo-header) */
  finalDst: Buffer | null;
  /** 'esp' | 'ah' when the upper layer came out of IPsec */
  protectedBy: 'esp' | 'ah' | null;
  /** ext header chain seen so far (next header values) */
  chain: number[];
  /** true when this header is inside a tunnel */
  inner: boolean;
  /** the IP protocol item: tshark hangs extension headers, and the layer after them, below it */
  item: Item | null;
}

export type AddrKind = 'ipv6' | 'ipv4' | 'ether' | 'none';

export class PacketInfo {
  proto = '';
  info = '';
  private srcStr: string | null = null;
  private dstStr: string | null = null;
  srcKind: AddrKind = 'none';
  dstKind: AddrKind = 'none';
  // column addresses as [off, off + len) of a buffer: the views `src`/`dst` are made
  // on first use (a link layer's addresses are usually replaced by the IP layer's)
  private srcBuf: Uint8Array | null = null;
  private srcOff = 0;
  private srcLen = 0;
  private srcView: Uint8Array | null = null;
  private dstBuf: Uint8Array | null = null;
  private dstOff = 0;
  private dstLen = 0;
  private dstView: Uint8Array | null = null;
  /** protocol stack, as frame.protocols */
  layers: string[] = [];
  expert: Expert[] = [];
  ip: IpLayer | null = null;
  ipStack: IpLayer[] = [];
  /** scratch per protocol (e.g. data.mip6 for verifiers and analysis) */
  data: Record<string, any> = Object.create(null);
  malformed = false;
  truncated = false;
  /** the frame's root item when a tree is wanted */
  tree: Item | null = null;
  /** extra data sources (decrypted, reassembled) for hex output */
  sources: Array<{ name: string; buf: Buffer }> = [];

  constructor(
    public num: number,
    public raw: RawPacket,
    /** 1 = single pass or first of two; 2 = second pass of a two-pass run */
    public pass: number = 1,
  ) {}

  get src(): Uint8Array | null {
    if (this.srcView === null && this.srcBuf !== null) this.srcView = this.srcBuf.subarray(this.srcOff, this.srcOff + this.srcLen);
    return this.srcView;
  }
  set src(a: Uint8Array | null) {
    this.srcBuf = this.srcView = a;
    this.srcOff = 0;
    this.srcLen = a ? a.length : 0;
    this.srcStr = null;
  }
  get dst(): Uint8Array | null {
    if (this.dstView === null && this.dstBuf !== null) this.dstView = this.dstBuf.subarray(this.dstOff, this.dstOff + this.dstLen);
    return this.dstView;
  }
  set dst(a: Uint8Array | null) {
    this.dstBuf = this.dstView = a;
    this.dstOff = 0;
    this.dstLen = a ? a.length : 0;
    this.dstStr = null;
  }

  setSrc(kind: AddrKind, a: Uint8Array): void {
    this.srcKind = kind;
    this.src = a;
  }
  setDst(kind: AddrKind, a: Uint8Array): void {
    this.dstKind = kind;
    this.dst = a;
  }
  /** setSrc without a view: the address is octets [off, off + len) of buf (checked by the caller) */
  setSrcAt(kind: AddrKind, buf: Uint8Array, off: number, len: number): void {
    this.srcKind = kind;
    this.srcBuf = buf;
    this.srcOff = off;
    this.srcLen = len;
    this.srcView = null;
    this.srcStr = null;
  }
  setDstAt(kind: AddrKind, buf: Uint8Array, off: number, len: number): void {
    this.dstKind = kind;
    this.dstBuf = buf;
    this.dstOff = off;
    this.dstLen = len;
    this.dstView = null;
    this.dstStr = null;
  }
  get srcText(): string {
    return (this.srcStr ??= addrText(this.srcKind, this.srcBuf, this.srcOff));
  }
  get dstText(): string {
    return (this.dstStr ??= addrText(this.dstKind, this.dstBuf, this.dstOff));
  }

  setProto(p: string): void {
    this.proto = p;
  }
  setInfo(s: string): void {
    this.info = s;
  }
  appendInfo(s: string): void {
    this.info = this.info ? this.info + s : s.replace(/^[ ,]+/, '');
  }

  addExpert(severity: Severity, id: string, message: string, item?: Item | null, group?: string): Expert {
    const e: Expert = { severity, id, message, group, frame: this.num };
    this.expert.push(e);
    if (item) {
      const ei = item.addText(message, item.offset, 0);
      ei.expert = e;
    }
    return e;
  }
}

function addrText(kind: AddrKind, a: Uint8Array | null, off: number): string {
  if (!a) return '';
  switch (kind) {
    case 'ipv6': return ipv6ToString(a, off);
    case 'ipv4': return ipv4ToString(a, off);
    case 'ether': return etherToString(a, off);
    default: return '';
  }
}
