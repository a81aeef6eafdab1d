/**
 * Interactive prompts on a terminal (node:readline/promises): free text with a default, a numbered
 * choice, yes/no, and hidden input for tokens. One Prompter per command so no typed-ahead input is lost.
 */
import { createInterface, type Interface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { CliIo } from './io';

export interface Prompter {
  /** Asks until the answer is non-empty (or the default is taken); `validate` returns an error message or undefined. */
  ask(question: string, options?: { default?: string; optional?: boolean; validate?: (answer: string) => string | undefined }): Promise<string>;
  /** Numbered choices; accepts the number or the value itself. */
  choose(question: string, choices: readonly { value: string; label: string }[], options?: { default?: string }): Promise<string>;
  confirm(question: string, defaultYes?: boolean): Promise<boolean>;
  /** Input not echoed (tokens). */
  secret(question: string): Promise<string>;
  close(): void;
}

/** Whether the command may ask questions: both ends are a terminal. */
export function isInteractive(io: CliIo): boolean {
  return Boolean((io.stdin as { isTTY?: boolean }).isTTY && io.stdout.isTTY);
}

export function createPrompter(io: CliIo): Prompter {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      if (!muted) io.stdout.write(chunk.toString());
      done();
    },
  });
  const rl: Interface = createInterface({ input: io.stdin, output, terminal: Boolean((io.stdin as { isTTY?: boolean }).isTTY) });
  let closed = false;
  rl.on('close', () => { closed = true; });

  async function question(q: string): Promise<string> {
    if (closed) throw new Error('No more input (stdin closed)');
    return (await rl.question(q)).trim();
  }

  return {
    async ask(q, options = {}) {
      for (;;) {
        const answer = (await question(`${q}${options.default ? ` [${options.default}]` : ''}: `)) || options.default || '';
        if (!answer && !options.optional) { io.stdout.write('  (required)\n'); continue; }
        const problem = answer && options.validate ? options.validate(answer) : undefined;
        if (problem) { io.stdout.write(`  ${problem}\n`); continue; }
        return answer;
      }
    },
    async choose(q, choices, options = {}) {
      io.stdout.write(`${q}\n`);
      choices.forEach((c, i) => io.stdout.write(`  ${String(i + 1).padStart(2)}) ${c.label}\n`));
      for (;;) {
        const answer = (await question(`Choose 1–${choices.length}${options.default ? ` [${options.default}]` : ''}: `)) || options.default || '';
        const byNumber = /^\d+$/.test(answer) ? choices[Number(answer) - 1] : undefined;
        const chosen = byNumber ?? choices.find((c) => c.value === answer);
        if (chosen) return chosen.value;
        io.stdout.write('  Type a number from the list or a value.\n');
      }
    },
    async confirm(q, defaultYes = false) {
      const answer = (await question(`${q} ${defaultYes ? '[Y/n]' : '[y/N]'} `)).toLowerCase();
      return answer === '' ? defaultYes : answer === 'y' || answer === 'yes';
    },
    async secret(q) {
      io.stdout.write(q);
      muted = true;
      try {
        return await question('');
      } finally {
        muted = false;
        io.stdout.write('\n');
      }
    },
    close() { rl.close(); },
  };
}
