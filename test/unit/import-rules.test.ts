/**
 * The house's import rules (/work/shared/style.md, README "How the code is laid out") as a check:
 * every import in bin/, lib/ and functions/ is read (static, dynamic and require), resolved to its
 * folder, and held against the rules below; any import that breaks one fails. Besides, what `cdk synth`
 * loads (bin/app.ts and every module it imports for its values, followed to the end) must reach no AWS
 * SDK, HTTP client or MCP SDK: lib/ reads definitions (route table, table definition, schedules), never
 * the code that runs.
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
  { name: 'the code that runs imports zod only through functions/domain/zod-mini (zod/mini with English messages, as a namespace: classic zod or zod\'s `{ z }` object puts ~100-400 KB in every bundle)', from: /^functions\/(?!domain\/zod-mini\.ts$|dashboard\/app\/)/, forbidden: /^zod(\/|$)/ },
  { name: 'the infrastructure imports definitions, not the runtime: no handler, job, route, adapter, local runtime, CLI or MCP server', from: /^(lib|bin\/app)/, forbidden: /^functions\/(handlers|jobs|api\/(?!route-table$)|local|cli|mcp|sources\/(?!credential-fields$|collector-entries$))/ },
];

/** Packages that only the code that runs may load (synth must not): SDK clients, HTTP clients, the MCP SDK. */
const RUNTIME_PACKAGES = /^(@aws-sdk\/|@smithy\/|@modelcontextprotocol\/|axios$|stripe$|twitter-api-v2$|@aws-lambda-powertools\/)/;

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

/** The module specifiers a file imports for their values (type-only imports are erased by the compiler). */
function valueSpecifiersOf(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?!type\s)[^'";]*?from\s*['"]([^'"]+)['"]/g)) found.add(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) found.add(m[1]);
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(m[1]);
  return [...found];
}

/** The file a relative specifier names (x.ts, x/index.ts, x.js), or undefined. */
function fileOf(file: string, specifier: string): string | undefined {
  const base = resolve(dirname(file), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), `${base}.js`, base].find((c) => existsSync(c) && statSync(c).isFile());
}

/** Every package `entry` loads, through every relative value import, each with the file that imports it. */
function packagesLoadedBy(entry: string): { pkg: string; by: string }[] {
  const seen = new Set<string>();
  const found: { pkg: string; by: string }[] = [];
  const queue = [join(ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const s of valueSpecifiersOf(readFileSync(file, 'utf8'))) {
      if (!s.startsWith('.')) { found.push({ pkg: s, by: relative(ROOT, file).replace(/\\/g, '/') }); continue; }
      const next = fileOf(file, s);
      if (next) queue.push(next);
    }
  }
  return found;
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
    expect(imports).toContainEqual({ from: 'functions/handlers/api-reads.ts', to: 'functions/api/api-function' });
    expect(imports).toContainEqual({ from: 'functions/domain/experiment.ts', to: 'functions/domain/zod-mini' });
  });

  it('catches a forbidden import when there is one', () => {
    const domainImportingSdk = RULES.filter((r) => r.from.test('functions/domain/x.ts') && r.forbidden.test('@aws-sdk/client-dynamodb'));
    const sharedImportingStore = RULES.filter((r) => r.from.test('functions/shared/x.ts') && r.forbidden.test('functions/store/keys'));
    expect([domainImportingSdk.length, sharedImportingStore.length]).toEqual([1, 1]);
  });

  it('no import breaks a rule', () => {
    const found = violations().map((v) => `${v.edge}  (${v.rule})`);
    process.stdout.write(`\nimport rules: ${imports.length} imports checked against ${RULES.length} rules; ${found.length} violation(s)${found.length ? `:\n${found.map((v) => `  ${v}`).join('\n')}` : ''}\n`);

    expect(found).toEqual([]);
  });

  it('cdk synth loads definitions only: no AWS SDK, HTTP client or MCP SDK is reached from bin/app.ts', () => {
    const loaded = packagesLoadedBy('bin/app.ts');
    const runtime = loaded.filter((l) => RUNTIME_PACKAGES.test(l.pkg)).map((l) => `${l.pkg} <- ${l.by}`);
    process.stdout.write(`synth: ${new Set(loaded.map((l) => l.pkg)).size} packages imported from ${new Set(loaded.map((l) => l.by)).size} files; ${runtime.length} runtime package import(s)\n`);

    expect(loaded.map((l) => l.pkg)).toContain('aws-cdk-lib');
    expect(runtime).toEqual([]);
  });

  it('the synth walk would see a runtime package (the check is not vacuous)', () => {
    const loaded = packagesLoadedBy('functions/handlers/api-imports.ts').filter((l) => RUNTIME_PACKAGES.test(l.pkg));
    expect(loaded.length).toBeGreaterThan(0);
  });
});
