/**
 * Synthesises what `cdk deploy` would upload (cdk.json's config, real esbuild bundles) with credential
 * env vars set to recognisable sentinels, then greps the template, every bundle and source map, and the
 * functions' environment for those values and for token-shaped strings. Secrets reach functions only
 * as ARNs; their values live in Secrets Manager.
 */
import type { App } from 'aws-cdk-lib';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { CREDENTIAL_ENV } from '../../functions/sources/credential-fields';
import type { VerdictStack } from '../../lib/verdict-stack';
import { synthVerdict } from './synth';

type Json = Record<string, any>;

/** Shapes of real credentials: OpenAI/Perplexity keys, AWS keys, X bearer tokens, Slack/GitHub tokens, PEM keys, JWTs. */
const TOKEN_PATTERNS = [
  /sk-[A-Za-z0-9_-]{20,}/, /pplx-[A-Za-z0-9]{20,}/, /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, /AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{20,}/,
  /xox[abprs]-[A-Za-z0-9-]{10,}/, /gh[pousr]_[A-Za-z0-9]{30,}/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /Bearer\s+[A-Za-z0-9._~+/-]{16,}/,
  /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, /\{\{resolve:secretsmanager:/,
];

const SENTINELS: Record<string, string> = Object.fromEntries([
  ...Object.values(CREDENTIAL_ENV).flatMap((fields) => Object.values(fields)),
  'VERDICT_API_TOKEN',
].map((name) => [name, `sentinel-${name.toLowerCase()}-5f1d9c0b7a`]));

let app: App;
let stack: VerdictStack;
let assemblyDir: string;
let template: Json;
const savedEnv = { ...process.env };

beforeAll(() => {
  Object.assign(process.env, SENTINELS);
  ({ app, stack } = synthVerdict({ bundle: true }));
  assemblyDir = app.synth().directory;
  template = JSON.parse(readFileSync(join(assemblyDir, `${stack.artifactId}.template.json`), 'utf8')) as Json;
}, 120_000);

afterAll(() => {
  for (const name of Object.keys(SENTINELS)) if (!(name in savedEnv)) delete process.env[name];
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const functionsIn = (t: Json) => Object.entries(t.Resources as Record<string, Json>).filter(([, r]) => r.Type === 'AWS::Lambda::Function');

describe('no secret values in what is deployed', () => {
  it('no credential value from the environment appears in the template, any bundle or source map', () => {
    const files = filesUnder(assemblyDir);
    expect(files.some((f) => f.endsWith('index.js'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [name, value] of Object.entries(SENTINELS)) {
        if (text.includes(value)) throw new Error(`${name}'s value found in ${file}`);
      }
    }
  });

  it('the template holds no token-shaped string and no dynamic reference to a secret value', () => {
    const text = JSON.stringify(template);
    for (const pattern of TOKEN_PATTERNS) expect(text).not.toMatch(pattern);
  });

  it('secrets carry no value in the template except the empty credentials object; the token is generated at deploy', () => {
    const secrets = Object.values(template.Resources as Record<string, Json>).filter((r) => r.Type === 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(2);
    expect(secrets.map((s) => s.Properties.SecretString).filter((v) => v !== undefined)).toEqual(['{}']);
    expect(secrets.filter((s) => s.Properties.GenerateSecretString)).toHaveLength(1);
  });

  it('outputs name secrets, never read them', () => {
    const outputs = JSON.stringify(template.Outputs);
    expect(outputs).not.toMatch(/SecretString|resolve:secretsmanager/);
    for (const pattern of TOKEN_PATTERNS) expect(outputs).not.toMatch(pattern);
  });

  it('functions\' environments hold names, ARNs and settings only', () => {
    const LITERALS = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'SOURCE_NAME', 'AWS_NODEJS_CONNECTION_REUSE_ENABLED']);
    const REFERENCES = new Set(['TABLE_NAME', 'SOURCE_SECRET_ARN', 'API_TOKEN_SECRET_ARN', 'EVENT_BUS_NAME', 'ALARM_TOPIC_ARN', 'API_URL']);
    const functions = functionsIn(template);
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const [id, fn] of functions) {
      for (const [name, value] of Object.entries((fn.Properties.Environment?.Variables ?? {}) as Json)) {
        if (LITERALS.has(name)) {
          expect(typeof value).toBe('string');
          expect(value).toMatch(/^[A-Za-z0-9 ._=-]{1,64}$/);
        } else if (REFERENCES.has(name)) {
          expect(Object.keys(value as Json)).toEqual([expect.stringMatching(/^(Ref|Fn::GetAtt)$/)]);
        } else if (name === 'COLLECTOR_FUNCTIONS') {
          // { "<source>": <Ref to the collector function> } joined into JSON: literal parts are punctuation and source names only.
          const parts = ((value as Json)['Fn::Join'] as [string, unknown[]])[1];
          for (const part of parts) {
            if (typeof part === 'string') expect(part).toMatch(/^[{}":,a-z]*$/);
            else expect(Object.keys(part as Json)).toEqual(['Ref']);
          }
        } else {
          throw new Error(`${id} has an unexpected environment variable ${name}`);
        }
        for (const pattern of TOKEN_PATTERNS) expect(JSON.stringify(value)).not.toMatch(pattern);
      }
    }
  });
});

describe('bundles', () => {
  /** A function's staged bundle: the asset directory named after the hash in its S3 key. */
  const codeDir = (fn: Json) => join(assemblyDir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
  const codeDirs = () => functionsIn(template).map(([, fn]) => codeDir(fn));

  it('are minified, with source maps (sources not embedded)', () => {
    for (const dir of codeDirs()) {
      const code = readFileSync(join(dir, 'index.js'), 'utf8');
      const map = JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      expect(code.length / code.split('\n').length).toBeGreaterThan(1_000);
      expect(code).toMatch(/sourceMappingURL=index\.js\.map/);
      expect(map.sources.length).toBeGreaterThan(0);
      expect(map.sourcesContent).toBeUndefined();
    }
  });

  it('the dashboard bundle carries the dashboard page, built at synth and compressed, without esbuild; no API function\'s bundle does', () => {
    const bundleOf = (f: typeof stack.dashboardFn) => readFileSync(join(codeDir(template.Resources[stack.getLogicalId(f.fn.node.defaultChild as never)] as Json), 'index.js'), 'utf8');
    const code = bundleOf(stack.dashboardFn);
    const packed = [...code.matchAll(/"([A-Za-z0-9+/]{20000,}={0,2})"/g)].map((m) => m[1]);
    expect(packed).toHaveLength(1); // the assets: brotli, base64
    const assets = brotliDecompressSync(Buffer.from(packed[0], 'base64')).toString('utf8');
    expect(assets).toContain('<title>Verdict</title>');
    expect(code).not.toContain('<title>Verdict</title>');
    expect(code).not.toContain('__VERDICT_DASHBOARD_ASSETS__');
    expect(code).not.toContain('ESBUILD_BINARY_PATH'); // the bundler itself stays out
    for (const f of Object.values(stack.apiFns)) {
      const api = bundleOf(f);
      expect([...api.matchAll(/"([A-Za-z0-9+/]{20000,}={0,2})"/g)]).toHaveLength(0);
      expect(api).not.toContain('ESBUILD_BINARY_PATH');
    }
  });
});
