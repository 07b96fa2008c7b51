// Colour: chalk, switched by --color auto|always|never; NO_COLOR honoured here
// because chalk 5 ignores it.
import { Chalk } from 'chalk';
/**
 * auto: colour only when stdout is a terminal, NO_COLOR (set and non-empty, per
 * no-color.org) is absent and TERM is not "dumb"; always: even into a pipe (the
 * explicit flag wins over NO_COLOR); never: plain.
 */
export function makeChalk(mode, isTTY, env = process.env) {
    let on;
    if (mode === 'always')
        on = true;
    else if (mode === 'never')
        on = false;
    else
        on = isTTY && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
    return new Chalk({ level: on ? 1 : 0 });
}
