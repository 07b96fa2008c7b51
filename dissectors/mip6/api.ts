// The contract between the Mobility Header dissector (mh.ts), the message
// layouts, the option dissectors (table `mip6.option`) and everything that reads
// decoded mobility signalling later (analyzers, verifiers, statistics, flows).
import type { Vals } from '../../core/layout.js';

/** One mobility option as found on the wire. */
export interface Mip6Option {
  /** option type octet */
  type: number;
  /** offset of the type octet in the frame buffer (tvb.buf) */
  off: number;
  /** value length (the Length octet); Pad1 has 0 */
  len: number;
  /** decoded fields by display-filter name (filled by the option dissector) */
  vals: Vals;
  /** the option's name as shown (e.g. "Alternate Care-of Address") */
  name?: string;
  /** true when the option ran past the message or had a wrong length */
  malformed?: boolean;
}

/** What the MH dissector leaves in `pinfo.data.mip6` for later stages. */
export interface Mip6Info {
  /** MH type (mip6.mhtype) */
  type: number;
  /** message name as shown in Info (e.g. "Binding Update") */
  name: string;
  /** offset of the MH's first octet (Payload Proto) in the frame buffer */
  offset: number;
  /** MH length in octets ((hlen + 1) * 8), possibly cut by the capture */
  length: number;
  /** the Buffer holding the MH (the frame, or a decrypted ESP payload) */
  buf: Buffer;
  hlen: number;
  proto: number;
  csum: number;
  /** checksum verdict: true ok, false wrong, null not checkable (truncated) */
  csumOk: boolean | null;
  /** checksum the message should have carried */
  csumExpected?: number;
  /** message fields by display-filter name (e.g. vals['mip6.bu.seqnr']) */
  vals: Vals;
  /** offset of the first option (after the fixed message fields) */
  optionsOffset: number;
  options: Mip6Option[];
  /** pseudo-header addresses used for the checksum (HAO / RH2 applied) */
  pseudoSrc: Buffer;
  pseudoDst: Buffer;
  /** the IPv6 header addresses as on the wire */
  src: Buffer;
  dst: Buffer;
  /** Home Address option / type 2 RH address when present */
  hoa: Buffer | null;
  rh2: Buffer | null;
  /** carried inside ESP or AH */
  protectedBy: 'esp' | 'ah' | null;
  malformed: boolean;
  /** the MH's tree item (when a tree is built), where verifiers hang their results */
  item?: unknown;
}

/** Context handed to an option dissector (the `data` argument of table `mip6.option`). */
export interface MhOptionCtx {
  mh: Mip6Info;
  opt: Mip6Option;
}

/** Context handed to a message dissector (the `data` argument of table `mip6.mhtype`). */
export interface MhMessageCtx {
  mh: Mip6Info;
}
