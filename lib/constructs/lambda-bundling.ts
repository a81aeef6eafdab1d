/**
 * How every Verdict Lambda is bundled (esbuild through NodejsFunction): minified CJS for the Node 24
 * runtime with source maps, the AWS SDK v3 left to the runtime, and the deployment's config inlined.
 * One definition, so the performance bench (test/bench) measures exactly the bundles CDK deploys.
 */
import { OutputFormat, type BundlingOptions, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { buildDashboardAssetsSync } from '../../functions/dashboard/build';
import type { AppConfig } from '../../functions/shared/app-config';

/**
 * Packages replaced in every bundle (esbuild `alias`): axios's Node build requires `form-data` (and through
 * it mime-db, ~140 KB minified) for multipart bodies, which nothing here sends; Node's own FormData stands in.
 * Their proxy and redirect helpers log through `debug` only when DEBUG names them: a silent logger stands in.
 * No request here follows redirects (`maxRedirects: 0`), so follow-redirects is replaced by a stand-in that refuses.
 * twitter-api-v2 names only its CommonJS build in `main` (no `exports`); its ES module build tree-shakes.
 */
export const BUNDLE_ALIASES: Record<string, string> = {
  'form-data': join(__dirname, '..', '..', 'functions', 'shared', 'native-form-data.js'),
  debug: join(__dirname, '..', '..', 'functions', 'shared', 'silent-debug.js'),
  'follow-redirects': join(__dirname, '..', '..', 'functions', 'shared', 'no-redirects.js'),
  'twitter-api-v2': 'twitter-api-v2/dist/esm/index.js',
};

/** The NodejsFunction bundling options for a function of the deployment configured by `config`. */
export function lambdaBundling(config: AppConfig) {
  return {
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    target: 'node24',
    format: OutputFormat.CJS,
    externalModules: ['@aws-sdk/*'],
    define: { __VERDICT_CONFIG__: JSON.stringify(JSON.stringify(config)) },
    esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
  } satisfies BundlingOptions;
}

/**
 * What the dashboard function adds to lambdaBundling: the dashboard page and assets, built once into a module
 * (under `outdir`) whose export replaces the global __VERDICT_DASHBOARD_ASSETS__ that
 * functions/dashboard/assets.ts reads — their JSON, brotli-compressed and base64-encoded, inlined into the
 * dashboard bundle (~48 kB: too large for an esbuild `define` argument). esbuild stays out of the bundle: only the local runtime's build-on-request path
 * (functions/dashboard/build.ts) needs it.
 */
export function dashboardBundlingExtras(outdir: string): { inject: string[]; extraExternalModules: string[] } {
  const text = JSON.stringify(buildDashboardAssetsSync());
  // Brotli at synth, base64 in the bundle (~105 KB of page, script and styles → ~40 KB), unpacked on the first dashboard request.
  const packed = brotliCompressSync(Buffer.from(text, 'utf8'), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');
  const file = join(outdir, `dashboard-assets-${createHash('sha256').update(packed).digest('hex').slice(0, 16)}.mjs`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `export const __VERDICT_DASHBOARD_ASSETS__ = ${JSON.stringify(packed)};\n`);
  return { inject: [file], extraExternalModules: ['esbuild'] };
}

/**
 * What the MCP function adds to lambdaBundling: its pack (functions/mcp/pack.ts — the tools' descriptions and JSON
 * Schemas and the OpenAPI document, built from the API's routes), copied beside the bundle's index.js after esbuild
 * runs, so the function carries no route, route schema or zod-to-JSON-Schema code, and Node never compiles the pack.
 * Built by functions/mcp/pack-build.ts in a Node process of its own (synth itself loads definitions only, never the
 * routes), from the same sources as the API functions bundled in this synth, into this synth's output directory:
 * never checked in, so it cannot go stale. The files are part of the asset, so its hash follows them.
 */
export function mcpBundlingExtras(outdir: string): { commandHooks: ICommandHooks } {
  const root = join(__dirname, '..', '..');
  const text = execFileSync(process.execPath, [require.resolve('tsx/cli'), join(root, 'functions', 'mcp', 'pack-build.ts')], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pack = JSON.parse(text) as Record<string, string>;
  const dir = join(outdir, `mcp-pack-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  const files = Object.entries(pack).map(([name, content]) => {
    if (basename(name) !== name) throw new Error(`functions/mcp/pack-build.ts named a pack file with a folder: ${name}`);
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  });
  return {
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir, outputDir) => [`cp ${files.map(shellQuoted).join(' ')} ${shellQuoted(outputDir)}`],
    },
  };
}

/** One argument for bash -c (how NodejsFunction runs command hooks when it bundles locally). */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
