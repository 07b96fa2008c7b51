const commands = new Map();
export function registerCommand(c) {
    commands.set(c.name, c);
}
export function getCommand(name) {
    return commands.get(name);
}
export function allCommands() {
    return [...commands.values()];
}
