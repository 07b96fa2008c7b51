// -x: hex and ASCII dump, tshark's layout (offset, 16 octets, ASCII with dots).
const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).padStart(2, '0'));

export function hexDump(b: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < b.length; o += 16) {
    let hex = '';
    let asc = '';
    for (let i = 0; i < 16; i++) {
      if (o + i < b.length) {
        const c = b[o + i]!;
        hex += HEX2[c] + ' ';
        asc += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      } else hex += '   ';
      if (i === 7) hex += ' ';
    }
    lines.push(`${o.toString(16).padStart(4, '0')}  ${hex} ${asc}`);
  }
  return lines.join('\n') + '\n';
}
