// Subcommands (verify, flows, report, craft, replay, ...) register here, in their
// own files under cli/commands/, loaded on demand by name.
import { Command, CommanderError } from 'commander';
import { UsageError } from './errors.js';
export type CommandFn = (args: string[]) => Promise<number>;

export interface CommandSpec {
  name: string;
  summary: string;
  run: CommandFn;
}

const commands = new Map<string, CommandSpec>();

export function registerCommand(c: CommandSpec): void {
  commands.set(c.name, c);
}

export function getCommand(name: string): CommandSpec | undefined {
  return commands.get(name);
}

export function allCommands(): CommandSpec[] {
  return [...commands.values()];
}

/**
 * Parse a subcommand's arguments with commander, the way every command does:
 * usage errors become one line and exit 2 (UsageError); returns false when help
 * was printed (the command then exits 0).
 */
export function parseCommand(p: Command, args: string[]): boolean {
  p.exitOverride().configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) });
  try {
    p.parse(args, { from: 'user' });
    return true;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return false;
      throw new UsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
}
