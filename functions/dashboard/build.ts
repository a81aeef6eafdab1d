/**
 * Bundles the dashboard with esbuild: the browser app (./app/main.ts, uPlot included, loaded deferred),
 * the tiny render-blocking script that pins the saved theme before first paint (./app/theme-early.ts),
 * and the CSS (./app/styles.css, uPlot's stylesheet included), minified, content-hashed, and the HTML
 * page that loads them. Runs in Node only — the local runtime and tests build on first request; for
 * Lambda the stack builds once at synth (buildDashboardAssetsSync) and inlines the result, so esbuild
 * never ships.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';

/** The dashboard's files by the name the page requests them under (`/` serves `index.html`). */
export interface DashboardAssets {
  'index.html': string;
  /** Hashed names, e.g. `app-3FJ2KQ7L.js` → its text. */
  files: Record<string, string>;
}

const APP_DIR = join(__dirname, 'app');

function buildOptions(): BuildOptions {
  return {
    entryPoints: { app: join(APP_DIR, 'main.ts'), 'theme-early': join(APP_DIR, 'theme-early.ts'), styles: join(APP_DIR, 'styles.css') },
    outdir: '/dashboard-assets',
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    // 2024 evergreen browsers: the stylesheet's one palette uses light-dark(), which esbuild does not lower.
    target: ['es2020', 'chrome123', 'firefox120', 'safari17.5'],
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
  };
}

function assemble(outputFiles: readonly OutputFile[]): DashboardAssets {
  const files: Record<string, string> = {};
  for (const f of outputFiles) files[basename(f.path)] = f.text;
  const script = outputOf(files, 'app', 'js');
  const themeScript = outputOf(files, 'theme-early', 'js');
  const stylesheet = outputOf(files, 'styles', 'css');
  const html = readFileSync(join(__dirname, 'index.html'), 'utf8')
    .replace('{{THEME_SCRIPT}}', `/assets/${themeScript}`)
    .replace('{{STYLESHEET}}', `/assets/${stylesheet}`)
    .replace('{{SCRIPT}}', `/assets/${script}`);
  return { 'index.html': html, files };
}

/** The hashed name of one entry point's output (`[name]-[hash].ext`; esbuild's hash has no dash). */
function outputOf(files: Record<string, string>, entry: string, ext: 'js' | 'css'): string {
  const pattern = new RegExp(`^${entry}-[A-Z0-9]+\\.${ext}$`);
  const name = Object.keys(files).find((n) => pattern.test(n));
  if (!name) throw new Error(`dashboard build produced no ${entry} .${ext}`);
  return name;
}

/** Builds the dashboard (about 0.3 s). */
export async function buildDashboardAssets(): Promise<DashboardAssets> {
  return assemble((await build(buildOptions())).outputFiles ?? []);
}

/** The same build, synchronously — for the CDK app, whose constructs cannot await. */
export function buildDashboardAssetsSync(): DashboardAssets {
  return assemble(buildSync(buildOptions()).outputFiles ?? []);
}
