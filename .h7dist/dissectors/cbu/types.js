// CBU (spec §5) tables: the 20 message types and the field types of the §5 table,
// with the value kind each field carries and the size it must have.
export const CBU_MAGIC = 0xcb;
export const CBU_VERSION = 1;
export const CBU_MSG_NAMES = {
    1: 'REQ', 2: 'COOKIE0', 3: 'COOKIE1', 4: 'EXCH0', 5: 'EXCH1', 6: 'REP', 7: 'BU', 8: 'BA', 9: 'BC',
    10: 'REQ_KEY', 11: "EXCH0'", 12: "EXCH1'", 13: 'NEWKEY', 14: 'TEST', 15: 'ALIVE', 16: 'KEYS',
    17: 'FWD', 18: 'HBU', 19: 'REQ_Cert', 20: 'REP_Cert',
};
/** What the one-octet Flag field means in each message that carries it. */
export const CBU_FLAG_MEANING = {
    9: 'BC flag', 10: 'REQKEN', 14: 'test_flag', 19: 'request_cert',
};
export const PAD1 = 0x00;
export const PADN = 0x01;
export const CBU_FIELDS = {
    0x01: { name: 'PadN', abbrev: 'mip6.cbu.padn', kind: 'padn' },
    0x10: { name: 'HoA', abbrev: 'mip6.cbu.hoa', kind: 'addr', len: 16 },
    0x11: { name: 'CoA', abbrev: 'mip6.cbu.coa', kind: 'addr', len: 16 },
    0x12: { name: 'CN', abbrev: 'mip6.cbu.cn', kind: 'addr', len: 16 },
    0x13: { name: 'CN_CoA', abbrev: 'mip6.cbu.cn_coa', kind: 'addr', len: 16 },
    0x14: { name: 'RCoA', abbrev: 'mip6.cbu.rcoa', kind: 'addr', len: 16 },
    0x15: { name: 'MAP/LCoA', abbrev: 'mip6.cbu.map', kind: 'addr', len: 16 },
    0x20: { name: 'N0', abbrev: 'mip6.cbu.n0', kind: 'nonce', len: 8 },
    0x21: { name: 'N1', abbrev: 'mip6.cbu.n1', kind: 'nonce', len: 8 },
    0x22: { name: 'N2', abbrev: 'mip6.cbu.n2', kind: 'nonce', len: 8 },
    0x23: { name: 'N3', abbrev: 'mip6.cbu.n3', kind: 'nonce', len: 8 },
    0x28: { name: 'C0', abbrev: 'mip6.cbu.c0', kind: 'nonce', len: 8 },
    0x29: { name: 'C1', abbrev: 'mip6.cbu.c1', kind: 'nonce', len: 8 },
    0x30: { name: 'DH public value', abbrev: 'mip6.cbu.dh.value', kind: 'dh', min: 2 },
    0x31: { name: 'TS', abbrev: 'mip6.cbu.ts', kind: 'ts', len: 8 },
    0x32: { name: 'Signature', abbrev: 'mip6.cbu.signature', kind: 'sig', min: 1 },
    0x33: { name: 'Certificate', abbrev: 'mip6.cbu.cert', kind: 'cert', min: 1 },
    0x38: { name: 'Seq#', abbrev: 'mip6.cbu.seq', kind: 'seq', len: 2 },
    0x39: { name: 'LT_BU', abbrev: 'mip6.cbu.lt_bu', kind: 'lt', len: 2 },
    0x3a: { name: 'LT_BA', abbrev: 'mip6.cbu.lt_ba', kind: 'lt', len: 2 },
    0x3b: { name: 'LT_EN', abbrev: 'mip6.cbu.lt_en', kind: 'lt', len: 2 },
    0x3c: { name: 'Flag', abbrev: 'mip6.cbu.flag', kind: 'flag', len: 1 },
    0x40: { name: 'MAC', abbrev: 'mip6.cbu.mac', kind: 'mac', min: 1 },
    0x50: { name: 'Sealed', abbrev: 'mip6.cbu.sealed', kind: 'sealed', min: 28 },
    0x60: { name: 'k_BU', abbrev: 'mip6.cbu.k_bu', kind: 'key', len: 32 },
    0x61: { name: 'k_BA', abbrev: 'mip6.cbu.k_ba', kind: 'key', len: 32 },
    0x62: { name: 'k_EN', abbrev: 'mip6.cbu.k_en', kind: 'key', len: 32 },
    0x63: { name: 'k_HA-next', abbrev: 'mip6.cbu.k_ha_next', kind: 'key', len: 32 },
    0x64: { name: 'k_EN-new', abbrev: 'mip6.cbu.k_en_new', kind: 'key', len: 32 },
};
export const CBU_FIELD_NAMES = Object.fromEntries([[0, 'Pad1'], ...Object.entries(CBU_FIELDS).map(([k, v]) => [Number(k), v.name])]);
/** DH groups (IANA IKEv2 transform type 4 numbers) and the public value size each implies. */
export const DH_GROUPS = { 14: '2048-bit MODP (RFC 3526)', 19: 'P-256 (256-bit random ECP)', 31: 'Curve25519 (X25519)' };
/** P-256 values: uncompressed point (65) or x only (32); MODP padded to 256 (§7) */
export const DH_VALUE_LEN = { 14: [256], 19: [65, 64, 33], 31: [32] };
