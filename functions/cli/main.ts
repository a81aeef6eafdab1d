/** The `verdict` command line: dispatches to one module per command. */
import { processIo, type CliIo } from './io';
import { startCommand } from './start-command';

const HELP = `verdict — marketing experiments on autopilot

Usage: verdict <command> [options]

Commands:
  start            run the whole loop locally (API, scheduler, embedded DynamoDB)
  score            score a scenario file offline and print the verdict as JSON

Run 'verdict <command> --help' for a command's options and an example.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  start: startCommand,
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { io.stdout.write(`${HELP}\n`); return 0; }
  const command = COMMANDS[name];
  if (!command) { io.stderr.write(`Unknown command: ${name}\n\n${HELP}\n`); return 2; }
  return command(rest, io);
}
