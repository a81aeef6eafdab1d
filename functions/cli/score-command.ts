/**
 * `verdict score --input scenario.json` (or `-` for stdin): scores an offline scenario with the same
 * engine as the scorer Lambda and prints the Verdict as JSON. Exit codes: 0 scored, 2 bad usage,
 * unreadable input, invalid JSON or an invalid scenario (each problem named by its field path).
 */
import { readFile } from 'node:fs/promises';
import { scoreScenario } from '../domain/scoring/scenario';
import { errorMessage } from '../shared/errors';

export interface ScoreCommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export const SCORE_USAGE = `Usage: verdict score --input <scenario.json | ->

Scores one experiment offline and prints its Verdict as JSON.

  --input, -i FILE   scenario file, or - to read it from stdin
  --example          print an example scenario to start from (then: --input it)
  --json             the output is always JSON; accepted like on every other command
  --help, -h         show this help

Scenario: {
  "experiment": { "primaryMetric": "x.follower_growth_rate", "start": "2025-03-03",
                  "end": "2025-03-17" | "durationDays": 14,
                  "baseline"?: { "start", "end" }, "decision"?: { "minLift": 0, "confidence": 0.95 },
                  "id"?, "name"?, "hypothesis"? },
  "observations": [ stored observations, e.g. { "metric": "x.followers", "at": "…", "value": 1200, "source": "x" } ],
  "otherExperiments"?: [ { "id", "name"?, "primaryMetric", "start", "end" | "durationDays", "status"? } ]
}

Example:
  verdict score --example > scenario.json
  verdict score --input scenario.json
  verdict score --input scenario.json | jq '{decision, summary}'
  cat scenario.json | verdict score -i -
`;

/**
 * A scenario anyone can score: six weeks of daily follower counts growing about 10 a day, then a two-week
 * window growing about 14 a day (deterministic, so everyone gets the same verdict).
 */
export function exampleScenario(): unknown {
  const day = 86_400_000;
  const first = Date.UTC(2026, 0, 19);
  const start = Date.UTC(2026, 2, 2);
  const observations: { metric: string; at: string; value: number; source: string }[] = [];
  let followers = 1200;
  for (let t = first; t <= start + 14 * day; t += day) {
    observations.push({ metric: 'x.followers', at: new Date(t).toISOString(), value: followers, source: 'x' });
    const i = (t - first) / day;
    followers += (t >= start ? 14 : 10) + ((i * 7) % 5) - 2;
  }
  return {
    experiment: { name: 'Daily build-in-public thread', primaryMetric: 'x.follower_growth_rate', start: '2026-03-02', durationDays: 14, decision: { minLift: 0.1, confidence: 0.95 } },
    observations,
  };
}

function parseArgs(argv: readonly string[]): { input?: string; help?: boolean; example?: boolean; error?: string } {
  let input: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--example') return { example: true };
    if (arg === '--json') continue;
    if (arg === '--input' || arg === '-i') {
      const value = argv[i + 1];
      if (value === undefined || (value.startsWith('-') && value !== '-')) return { error: `${arg} needs a file name or -` };
      input = value;
      i++;
    } else if (arg.startsWith('--input=')) {
      input = arg.slice('--input='.length);
      if (!input) return { error: '--input needs a file name or -' };
    } else {
      return { error: `Unknown argument: ${arg}` };
    }
  }
  return input === undefined ? { error: 'Missing --input (a scenario file, or - for stdin)' } : { input };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the command; resolves to the process exit code. `now` stamps the verdict (defaults to the clock). */
export async function scoreCommand(argv: string[], io: ScoreCommandIo, now: Date = new Date()): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    io.stdout.write(SCORE_USAGE);
    return 0;
  }
  if (args.example) {
    io.stdout.write(`${JSON.stringify(exampleScenario(), null, 2)}\n`);
    return 0;
  }
  if (args.error || args.input === undefined) {
    io.stderr.write(`verdict score: ${args.error}\n\n${SCORE_USAGE}`);
    return 2;
  }
  const source = args.input === '-' ? 'stdin' : args.input;
  let text: string;
  try {
    text = args.input === '-' ? await readAll(io.stdin) : await readFile(args.input, 'utf8');
  } catch (err) {
    io.stderr.write(`verdict score: cannot read ${source}: ${errorMessage(err)}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    io.stderr.write(`verdict score: ${source} is not valid JSON: ${errorMessage(err)}\n`);
    return 2;
  }
  const result = scoreScenario(json, now);
  if (!result.ok) {
    const lines = result.issues.map((i) => `  - ${i.path}: ${i.message}`);
    io.stderr.write(`verdict score: invalid scenario in ${source}:\n${lines.join('\n')}\n`);
    return 2;
  }
  io.stdout.write(`${JSON.stringify(result.verdict, null, 2)}\n`);
  return 0;
}
