// Value strings for the Mobility Header (IANA "Mobile IPv6 parameters"; the texts
// tshark 4.0 uses where it has them, so -V and JSON read the same). Objects are
// exported mutable on purpose: extension modules add code points (e.g. the cookie
// module's BA status 250) at load time without editing this file.
/** MH types (mip6.mhtype). 19-23 are not in tshark 4.0: IANA names. */
export const MH_TYPE_NAMES = {
    0: 'Binding Refresh Request',
    1: 'Home Test Init',
    2: 'Care-of Test Init',
    3: 'Home Test',
    4: 'Care-of Test',
    5: 'Binding Update',
    6: 'Binding Acknowledgement',
    7: 'Binding Error',
    8: 'Fast Binding Update',
    9: 'Fast Binding Acknowledgment',
    10: 'Fast Neighbor Advertisement',
    11: 'Experimental Mobility Header',
    12: 'Home Agent Switch',
    13: 'Heartbeat',
    14: 'Handover Initiate',
    15: 'Handover Acknowledge',
    16: 'Binding Revocation',
    17: 'Localized Routing Initiation',
    18: 'Localized Routing Acknowledgment',
    19: 'Update Notification',
    20: 'Update Notification Acknowledgement',
    21: 'Flow Binding',
    22: 'Subscription Query',
    23: 'Subscription Response',
};
/** Binding Acknowledgement status (RFC 6275, 3963, 4285, 4866, 5213, 5555, 5648, 5845, 5846, 6058, 6602, 7148, ...). */
export const BA_STATUS = {
    0: 'Binding Update accepted',
    1: 'Accepted but prefix discovery necessary',
    2: 'GRE_KEY_OPTION_NOT_REQUIRED',
    3: 'GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED',
    4: 'MCOA NOTCOMPLETE',
    5: 'MCOA RETURNHOME WO/NDP',
    6: 'PBU_ACCEPTED_TB_IGNORED_SETTINGSMISMATCH',
    128: 'Reason unspecified',
    129: 'Administratively prohibited',
    130: 'Insufficient resources',
    131: 'Home registration not supported',
    132: 'Not home subnet',
    133: 'Not home agent for this mobile node',
    134: 'Duplicate Address Detection failed',
    135: 'Sequence number out of window',
    136: 'Expired home nonce index',
    137: 'Expired care-of nonce index',
    138: 'Expired nonces',
    139: 'Registration type change disallowed',
    140: 'Mobile Router Operation not permitted',
    141: 'Invalid Prefix',
    142: 'Not Authorized for Prefix',
    143: 'Mobile Network Prefix information unavailable',
    145: 'Proxy Registration not supported by the LMA',
    146: 'Proxy Registrations from this MAG not allowed',
    147: 'No home address for this NAI',
    148: 'Invalid Time Stamp Option',
    149: 'Permanent home keygen token exists',
    150: 'Non-null home nonce index expected',
    151: 'SERVICE_AUTHORIZATION_FAILED',
    152: 'PROXY_REG_NOT_ENABLED',
    153: 'NOT_LMA_FOR_THIS_MOBILE_NODE',
    154: 'MAG_NOT_AUTHORIZED_FOR_PROXY_REG',
    155: 'NOT_AUTHORIZED_FOR_HOME_NETWORK_PREFIX',
    156: 'TIMESTAMP_MISMATCH',
    157: 'TIMESTAMP_LOWER_THAN_PREV_ACCEPTED',
    158: 'MISSING_HOME_NETWORK_PREFIX_OPTION',
    159: 'BCE_PBU_PREFIX_SET_DO_NOT_MATCH',
    160: 'MISSING_MN_IDENTIFIER_OPTION',
    161: 'MISSING_HANDOFF_INDICATOR_OPTION',
    162: 'MISSING_ACCESS_TECH_TYPE_OPTION',
    163: 'GRE_KEY_OPTION_REQUIRED',
    164: 'MCOA MALFORMED',
    165: 'MCOA NON-MCOA BINDING EXISTS',
    166: 'MCOA PROHIBITED',
    167: 'MCOA UNKNOWN COA',
    168: 'MCOA BULK REGISTRATION PROHIBITED',
    169: 'MCOA SIMULTANEOUS HOME AND FOREIGN PROHIBITED',
    170: 'NOT_AUTHORIZED_FOR_IPV4_MOBILITY_SERVICE',
    171: 'NOT_AUTHORIZED_FOR_IPV4_HOME_ADDRESS',
    172: 'NOT_AUTHORIZED_FOR_IPV6_MOBILITY_SERVICE',
    173: 'MULTIPLE_IPV4_HOME_ADDRESS_ASSIGNMENT_NOT_SUPPORTED',
    174: 'Invalid Care-of Address',
    175: 'INVALID_MOBILE_NODE_GROUP_IDENTIFIER',
    176: 'REINIT_SA_WITH_HAC',
    177: 'NOT_AUTHORIZED_FOR_DELEGATED_MNP',
    178: 'REQUESTED_DMNP_IN_USE',
};
/** Binding Error status (RFC 6275 6.1.9). */
export const BE_STATUS = {
    1: 'Unknown binding for Home Address destination option',
    2: 'Unrecognized MH type value',
};
/** Fast Binding Acknowledgement status (RFC 5568 6.3.2). */
export const FBACK_STATUS = {
    0: 'Fast Binding Update accepted',
    1: 'Accepted but use supplied NCoA',
    128: 'Reason unspecified',
    129: 'Administratively prohibited',
    130: 'Insufficient resources',
    131: 'Incorrect interface identifier length',
};
/** Binding Revocation type (RFC 5846 6.1): the Info and subtree name. */
export const BR_TYPE_NAMES = {
    1: 'Binding Revocation Indication',
    2: 'Binding Revocation Acknowledge',
};
/** Revocation trigger (RFC 5846 6.1.1). */
export const BRI_TRIGGER = {
    0: 'Unspecified',
    1: 'Administrative Reason',
    2: 'Inter-MAG Handover - same Access Type',
    3: 'Inter-MAG Handover - different Access Type',
    4: 'Inter-MAG Handover - Unknown',
    5: 'User Initiated Session(s) Termination',
    6: 'Access Network Session(s) Termination',
    7: 'Possible Out-of Sync BCE State',
    128: 'Per-Peer Policy',
    129: 'Revoking Mobility Node Local Policy',
};
/** Binding Revocation Acknowledgement status (RFC 5846 6.2). */
export const BRA_STATUS = {
    0: 'Success',
    1: 'Partial Success',
    2: 'Binding Does NOT Exist',
    3: 'IPv4 HoA Binding Does NOT Exist',
    4: 'Global Revocation NOT Authorized',
    5: 'CAN NOT Identify Binding',
    6: 'Revocation Failed, MN is Attached',
};
/** Localized Routing Acknowledgment status (RFC 6705 8.2). */
export const LRA_STATUS = {
    0: 'Success',
    128: 'Localized Routing Not Allowed',
    129: 'MN Not Attached',
};
/** Handover Initiate code (IANA, RFC 5568 6.2.1, RFC 5949). tshark 4.0 shows the number only. */
export const HI_CODE = {
    0: 'FBU with the PCoA as source IP address',
    1: 'FBU whose source IP address is not PCoA',
    2: 'Indicate the completion of forwarding',
    3: 'All available context transferred',
};
/** Handover Acknowledge code (IANA, RFC 5568 6.2.2, RFC 5949). tshark 4.0 shows the number only. */
export const HACK_CODE = {
    0: 'Handover Accepted, NCoA valid (or Successful, P flag)',
    1: 'Handover Accepted, NCoA not valid',
    2: 'Handover Accepted, NCoA assigned',
    3: 'Handover Accepted, use PCoA',
    4: 'Message sent unsolicited',
    5: 'Context Transfer Accepted or Successful',
    6: 'All available Context Transferred',
    128: 'Handover Not Accepted, reason unspecified',
    129: 'Administratively prohibited',
    130: 'Insufficient resources',
    131: 'Requested Context Not Available',
    132: 'Forwarding Not Available',
};
/** Update Notification reason (IANA "Update Notification Reasons", RFC 7077, 7222, 7864). */
export const UPN_REASON = {
    1: 'FORCE-REREGISTRATION',
    2: 'UPDATE-SESSION-PARAMETERS',
    3: 'VENDOR-SPECIFIC-REASON',
    4: 'ANI-PARAMS-REQUESTED',
    5: 'QOS_SERVICE_REQUEST',
    6: 'PGW-TRIGGERED-PCSCF-RESTORATION-PCO',
    7: 'PGW-TRIGGERED-PCSCF-RESTORATION-DHCP',
    8: 'FLOW-MOBILITY',
};
/** Update Notification Acknowledgement status (IANA, RFC 7077, 7222, 7864). */
export const UPA_STATUS = {
    0: 'SUCCESS',
    128: 'FAILED-TO-UPDATE-SESSION-PARAMETERS',
    129: 'MISSING-VENDOR-SPECIFIC-OPTION',
    130: 'CANNOT_MEET_QOS_SERVICE_REQUEST',
    131: 'Reason unspecified',
    132: 'MN not attached',
};
/** Flow Binding type (RFC 7109): the Info and subtree name. */
export const FB_TYPE_NAMES = {
    1: 'Flow Binding Indication',
    2: 'Flow Binding Acknowledgement',
};
/** Flow Binding Indication trigger (IANA, RFC 7109). */
export const FB_TRIGGER = {
    1: 'Unspecified',
    2: 'Administrative Reason',
    3: 'Possible Out-of-Sync BCE State',
};
/** Flow Binding Acknowledgement status (IANA, RFC 7109). */
export const FB_STATUS = {
    0: 'Success',
    128: 'Binding (target CoA) Does NOT Exist',
    129: 'Action NOT Authorized',
};
/** Checksum status as Wireshark's proto_tree_add_checksum: 0 bad, 1 good, 2 unverified. */
export const CSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified' };
/** "N (4N seconds)": lifetimes counted in 4-second units (RFC 6275 6.1.7). */
export function fourSeconds(v) {
    return `${v} (${v * 4} seconds)`;
}
