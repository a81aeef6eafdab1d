/**
 * The house's import rules (/work/shared/style.md, README "How the code is laid out") as a check:
 * every import in bin/, lib/ and functions/ is read (static, dynamic and require), resolved to its
 * folder, and held against the rules below. The imports that break a rule today are listed by name in
 * KNOWN_VIOLATIONS (issue #13 moves each piece to the room it serves); any other one fails, and so does
 * a listed one that no longer exists — the list only shrinks.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

interface Rule { name: string; from: RegExp; forbidden: RegExp }

/** `from`: the importing file; `forbidden`: the imported module (repo path without extension, or a package name). */
const RULES: Rule[] = [
  { name: 'domain is pure: it imports nothing outside functions/domain (no AWS SDK, no axios, no node I/O)', from: /^functions\/domain\//, forbidden: /^(functions\/(?!domain\/)|lib\/|bin\/|@aws-sdk\/|axios$|node:(fs|net|http|https|child_process)$)/ },
  { name: 'the code that runs never imports the infrastructure, the CLI entry or tests', from: /^functions\//, forbidden: /^(lib|bin|test)\// },
  { name: 'shared is the innermost ring beside domain: it imports no store, source, job, API, handler, local runtime or CLI', from: /^functions\/shared\//, forbidden: /^functions\/(store|sources|jobs|api|handlers|local|cli|mcp|dashboard)\// },
  { name: 'the store knows DynamoDB and the domain only', from: /^functions\/store\//, forbidden: /^functions\/(sources|jobs|api|handlers|local|cli|mcp|dashboard)\// },
  { name: 'sources (adapters) know their APIs, the domain and shared only', from: /^functions\/sources\//, forbidden: /^functions\/(store|jobs|api|handlers|local|cli|mcp|dashboard)\// },
  { name: 'jobs are called by handlers, not the other way round, and never reach the API or the local runtime', from: /^functions\/jobs\//, forbidden: /^functions\/(api|handlers|local|cli|mcp)\// },
  { name: 'handlers are entry points: only the local runtime composes them (besides Lambda)', from: /^functions\/(?!local\/|handlers\/)/, forbidden: /^functions\/handlers\// },
  { name: 'the infrastructure imports definitions, not the runtime: no handler, job, route, adapter, local runtime, CLI or MCP server', from: /^(lib|bin\/app)/, forbidden: /^functions\/(handlers|jobs|api|local|cli|mcp|sources\/(?!credential-fields|collector-entries))/ },
];

/** Imports that break a rule today, `from -> to`; each to be moved out (issue #13, item 2). */
const KNOWN_VIOLATIONS = new Set<string>([
  // lib/ loads the executable routes (and through them jobs, store, SDKs, the MCP SDK) to name its API routes and events.
  'lib/verdict-stack -> functions/api/routes',
  'lib/verdict-stack -> functions/api/router',
  'lib/constructs/verdict-api -> functions/api/router',
  // shared/ reaching outward: the HTTP client and credentials belong to sources/, the invoker's result type to store/.
  'functions/shared/collector-invoker -> functions/store/run-store',
  'functions/shared/credentials -> functions/sources/source',
  'functions/shared/credentials -> functions/sources/credential-fields',
  'functions/shared/http-client -> functions/sources/source',
  // The run store types its runs with the adapters' Source types.
  'functions/store/run-store -> functions/sources/source',
]);

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js|cjs|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports (static, type-only, dynamic, require). */
function specifiersOf(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]/g)) found.add(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) found.add(m[1]);
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(m[1]);
  return [...found];
}

/** A relative specifier as a repo path without extension; a package as its name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative(ROOT, resolve(dirname(file), specifier)).replace(/\\/g, '/').replace(/\.(ts|js|cjs|mjs)$/, '');
}

const imports = ['bin', 'lib', 'functions'].flatMap((d) => sourceFiles(join(ROOT, d))).flatMap((file) => {
  const from = relative(ROOT, file).replace(/\\/g, '/');
  return specifiersOf(readFileSync(file, 'utf8')).map((s) => ({ from, to: target(file, s) }));
});

function violations(): { rule: string; edge: string }[] {
  return imports.flatMap(({ from, to }) => RULES
    .filter((r) => r.from.test(from) && r.forbidden.test(to))
    .map((r) => ({ rule: r.name, edge: `${from.replace(/\.(ts|js|cjs|mjs)$/, '')} -> ${to}` })));
}

describe('import rules', () => {
  it('reads the imports of every source file (the check is not vacuous)', () => {
    expect(imports.length).toBeGreaterThan(200);
    expect(imports).toContainEqual({ from: 'functions/handlers/api.ts', to: 'functions/api/router' });
    expect(imports).toContainEqual({ from: 'functions/domain/experiment.ts', to: 'zod' });
  });

  it('catches a forbidden import when there is one', () => {
    const domainImportingSdk = RULES.filter((r) => r.from.test('functions/domain/x.ts') && r.forbidden.test('@aws-sdk/client-dynamodb'));
    const sharedImportingStore = RULES.filter((r) => r.from.test('functions/shared/x.ts') && r.forbidden.test('functions/store/keys'));
    expect([domainImportingSdk.length, sharedImportingStore.length]).toEqual([1, 1]);
  });

  it('no import breaks a rule, except the known ones being moved out', () => {
    const found = violations();
    const unknown = found.filter((v) => !KNOWN_VIOLATIONS.has(v.edge)).map((v) => `${v.edge}  (${v.rule})`);
    process.stdout.write(`\nimport rules: ${imports.length} imports checked against ${RULES.length} rules; ${found.length} known violation(s) left${found.length ? `:\n${[...new Set(found.map((v) => `  ${v.edge}`))].join('\n')}` : ''}\n`);

    expect(unknown).toEqual([]);
  });

  it('every known violation still exists (fixed ones leave the list)', () => {
    const edges = new Set(violations().map((v) => v.edge));
    expect([...KNOWN_VIOLATIONS].filter((e) => !edges.has(e))).toEqual([]);
  });
});
