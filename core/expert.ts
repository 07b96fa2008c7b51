// Expert info, as Wireshark's: a severity, a stable id (spec §8 names), a message.
// 'comment' is Wireshark's PI_COMMENT: packet comments shown as expert items
export type Severity = 'error' | 'warning' | 'note' | 'chat' | 'comment';

export interface Expert {
  severity: Severity;
  id: string;
  message: string;
  /** Wireshark expert group: malformed, protocol, sequence, checksum, security, ... */
  group?: string;
  /** frame number the item belongs to (set by the engine) */
  frame?: number;
}

export const SEVERITY_RANK: Record<Severity, number> = { comment: 0, chat: 1, note: 2, warning: 3, error: 4 };

/** tshark's numeric codes (_ws.expert.severity) */
export const SEVERITY_CODE: Record<Severity, number> = {
  comment: 1048576, chat: 2097152, note: 4194304, warning: 6291456, error: 8388608,
};
export const GROUP_CODE: Record<string, number> = {
  checksum: 16777216, sequence: 33554432, response: 50331648, request: 67108864,
  undecoded: 83886080, reassemble: 100663296, malformed: 117440512, debug: 134217728,
  protocol: 150994944, security: 167772160, comment: 184549376, decryption: 201326592,
  assumption: 218103808, deprecated: 234881024,
};
