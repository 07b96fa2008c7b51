// Subcommands (verify, flows, report, craft, replay, ...) register here, in their
// own files under cli/commands/, loaded on demand by name.
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
