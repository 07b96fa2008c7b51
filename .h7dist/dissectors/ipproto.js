// IANA protocol numbers as Wireshark names them (Next Header values).
export const IP_PROTO_NAMES = {
    0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP',
    41: 'IPv6', 43: 'Routing Header for IPv6', 44: 'Fragment Header for IPv6', 47: 'Generic Routing Encapsulation',
    50: 'Encap Security Payload', 51: 'Authentication Header', 58: 'ICMPv6', 59: 'No Next Header for IPv6',
    60: 'Destination Options for IPv6', 132: 'SCTP', 135: 'Mobile IPv6', 139: 'Host Identity Protocol',
    140: 'Shim6 Protocol', 253: 'Experimental 1', 254: 'Experimental 2',
};
