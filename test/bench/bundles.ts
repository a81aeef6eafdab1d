/**
 * Bundles every Lambda handler with esbuild's JS API and the exact options CDK uses
 * (lib/constructs/lambda-bundling.ts, including the dashboard's and the MCP function's extras), then reports minified size and, from esbuild's metafile, what
 * the bytes are made of (per npm package and per first-party folder).
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_ALIASES, dashboardBundlingExtras, lambdaBundling } from '../../lib/constructs/lambda-bundling';
import type { AppConfig } from '../../functions/shared/app-config';

export const HANDLERS = ['api-experiments', 'api-plans', 'api-readouts', 'api-reads', 'api-imports', 'dashboard', 'mcp', 'authorizer', 'collector', 'collector-x', 'collector-stripe', 'collector-citations', 'scorer', 'digest'] as const;
export type HandlerName = (typeof HANDLERS)[number];

export const ROOT = join(__dirname, '..', '..');
/** Under node_modules so the bundles' external @aws-sdk/* imports resolve, as the Lambda runtime provides them. */
export const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'verdict-bench');

export interface BundleReport {
  handler: HandlerName;
  file: string;
  bytes: number;
  /** Output bytes per contributor: an npm package name, or a first-party folder (functions/api). */
  contributors: { name: string; bytes: number }[];
}

/**
 * esbuild options equivalent to what NodejsFunction runs for the same BundlingOptions — for the
 * dashboard function, with the extras the stack gives it (injected dashboard assets, esbuild external).
 */
export function esbuildOptionsFor(config: AppConfig, handler?: HandlerName): BuildOptions {
  const b = lambdaBundling(config);
  // The MCP function's pack is copied beside its bundle (lambda-bundling.ts), not into it: nothing to add here.
  const extras = handler === 'dashboard' ? dashboardBundlingExtras(OUT_DIR) : { inject: [], extraExternalModules: [] };
  return {
    bundle: true,
    platform: 'node',
    minify: b.minify,
    sourcemap: b.sourceMap,
    sourcesContent: b.sourcesContent,
    target: b.target,
    format: b.format,
    external: [...b.externalModules, ...extras.extraExternalModules],
    inject: extras.inject,
    define: b.define,
    alias: BUNDLE_ALIASES,
  };
}

export async function bundleHandlers(config: AppConfig): Promise<BundleReport[]> {
  mkdirSync(OUT_DIR, { recursive: true });
  const reports: BundleReport[] = [];
  for (const handler of HANDLERS) {
    const file = join(OUT_DIR, `${handler}.js`);
    const result = await build({
      ...esbuildOptionsFor(config, handler),
      entryPoints: [join(ROOT, 'functions', 'handlers', `${handler}.ts`)],
      outfile: file,
      metafile: true,
      logLevel: 'silent',
    });
    reports.push({ handler, file, bytes: statSync(file).size, contributors: contributors(result.metafile, file) });
  }
  return reports;
}

function contributors(meta: Metafile, file: string): { name: string; bytes: number }[] {
  const output = Object.entries(meta.outputs).find(([path]) => !path.endsWith('.map') && file.endsWith(path.split('/').pop() ?? path));
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.[1].inputs ?? {})) {
    const name = contributorOf(input);
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytes.entries()].map(([name, n]) => ({ name, bytes: n })).sort((a, b) => b.bytes - a.bytes);
}

/** `node_modules/@scope/pkg/…` → `@scope/pkg`; `functions/api/x.ts` → `functions/api`. */
function contributorOf(input: string): string {
  if (input.includes('dashboard-assets-')) return 'dashboard assets (injected)';
  const nm = input.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = input.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const parts = input.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : input;
}
