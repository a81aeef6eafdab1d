/**
 * Deterministic interleavings of concurrent work: a middleware on a DynamoDB client runs `hook` once,
 * right after the first command that matches `when` has been answered and before its caller sees the
 * answer — as if another request had slipped in at exactly that moment. No spying on our own modules:
 * the hook sits at the client boundary, like the network would.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface CommandSeen { name: string; input: Record<string, unknown>; index: number }

let counter = 0;

/** Runs `hook` after the `nth` (1-based) command `when` accepts; returns a detach function. */
export function interleaveAfter(
  client: DynamoDBDocumentClient,
  when: (command: CommandSeen) => boolean,
  hook: () => Promise<unknown>,
  nth = 1,
): () => void {
  const name = `verdictTestInterleave${++counter}`;
  let seen = 0;
  let index = 0;
  let fired = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = { name: context.commandName ?? 'UnknownCommand', input: args.input as Record<string, unknown>, index: ++index };
      const output = await next(args);
      if (!fired && when(command) && ++seen === nth) {
        fired = true;
        await hook();
      }
      return output;
    },
    { step: 'initialize', name, override: true },
  );
  return () => client.middlewareStack.remove(name);
}
