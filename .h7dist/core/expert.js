export const SEVERITY_RANK = { comment: 0, chat: 1, note: 2, warning: 3, error: 4 };
/** tshark's numeric codes (_ws.expert.severity) */
export const SEVERITY_CODE = {
    comment: 1048576, chat: 2097152, note: 4194304, warning: 6291456, error: 8388608,
};
export const GROUP_CODE = {
    checksum: 16777216, sequence: 33554432, response: 50331648, request: 67108864,
    undecoded: 83886080, reassemble: 100663296, malformed: 117440512, debug: 134217728,
    protocol: 150994944, security: 167772160, comment: 184549376, decryption: 201326592,
    assumption: 218103808, deprecated: 234881024,
};
