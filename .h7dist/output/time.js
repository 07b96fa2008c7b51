export const TIME_FORMATS = ['r', 'a', 'ad', 'adoy', 'd', 'dd', 'e', 'u', 'ud', 'udoy'];
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000'];
const DIV = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 10, 1];
/** the first `digits` digits of the nanoseconds, zero-padded (once per summary line: no padStart) */
function frac(nsec, digits) {
    if (digits < 0 || digits > 9)
        return String(Math.floor(nsec / 10 ** (9 - digits))).padStart(digits, '0');
    const s = '' + Math.floor(nsec / DIV[digits]);
    return s.length >= digits ? s : ZEROS[digits - s.length] + s;
}
/** signed difference a - b as [sec, nsec] normalised */
export function tsDiff(aSec, aNsec, bSec, bNsec) {
    let s = aSec - bSec;
    let n = aNsec - bNsec;
    if (n < 0) {
        n += 1e9;
        s -= 1;
    }
    return [s, n];
}
function relText(s, n, digits) {
    if (s < 0) {
        // negative: show with sign like tshark
        const [ps, pn] = n === 0 ? [-s, 0] : [-s - 1, 1e9 - n];
        return '-' + ps + '.' + frac(pn, digits);
    }
    return s + '.' + frac(n, digits);
}
const pad2 = (n) => (n < 10 ? '0' + n : String(n));
function dayOfYear(d, utc) {
    const start = utc ? Date.UTC(d.getUTCFullYear(), 0, 1) : new Date(d.getFullYear(), 0, 1).getTime();
    return Math.floor((d.getTime() - start) / 86400000) + 1;
}
export function formatTime(fmt, sec, nsec, refs, digits) {
    switch (fmt) {
        case 'r': {
            const [s, n] = tsDiff(sec, nsec, refs.firstSec, refs.firstNsec);
            return relText(s, n, digits);
        }
        case 'd': {
            if (Number.isNaN(refs.prevSec))
                return relText(0, 0, digits);
            const [s, n] = tsDiff(sec, nsec, refs.prevSec, refs.prevNsec);
            return relText(s, n, digits);
        }
        case 'dd': {
            if (Number.isNaN(refs.prevDispSec))
                return relText(0, 0, digits);
            const [s, n] = tsDiff(sec, nsec, refs.prevDispSec, refs.prevDispNsec);
            return relText(s, n, digits);
        }
        case 'e': return sec + '.' + frac(nsec, digits);
        default: {
            const utc = fmt[0] === 'u';
            const d = new Date(sec * 1000);
            const h = utc ? d.getUTCHours() : d.getHours();
            const m = utc ? d.getUTCMinutes() : d.getMinutes();
            const s = utc ? d.getUTCSeconds() : d.getSeconds();
            const tod = `${pad2(h)}:${pad2(m)}:${pad2(s)}.${frac(nsec, digits)}`;
            if (fmt === 'a' || fmt === 'u')
                return tod;
            const y = utc ? d.getUTCFullYear() : d.getFullYear();
            if (fmt === 'adoy' || fmt === 'udoy')
                return `${y}/${String(dayOfYear(d, utc)).padStart(3, '0')} ${tod}`;
            const mo = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
            const day = utc ? d.getUTCDate() : d.getDate();
            return `${y}-${pad2(mo)}-${pad2(day)} ${tod}`;
        }
    }
}
