#!/usr/bin/env node
// The `verdict` CLI. No build step, no postinstall: on its first run (and whenever a source changed) it
// bundles functions/cli with esbuild (about 0.3 s) into node_modules/.cache/verdict-cli/ and then runs
// that bundle, which starts about as fast as node itself. A source counts as changed when its size or
// mtime differs and then its content hash does too. If the bundle cannot be built or stored, the sources
// run through tsx as before. `verdict start` always runs through tsx: the local runtime builds the
// dashboard from its sources at run time, and transpiling once per start costs nothing that matters.
'use strict';
process.env.POWERTOOLS_DEV ??= 'true';
// Node 20 is this machine's runtime; the Lambdas run the newest Node.js, so the SDK's notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const ENTRY = path.join(ROOT, 'functions', 'cli', 'main.ts');
const CACHE = process.env.VERDICT_CLI_CACHE || path.join(ROOT, 'node_modules', '.cache', 'verdict-cli');
const MANIFEST = path.join(CACHE, 'manifest.json');

/** sha256 of every input's bytes, in manifest order. */
function contentHash(inputs) {
  const hash = require('node:crypto').createHash('sha256');
  for (const file of inputs) hash.update(file).update('\0').update(fs.readFileSync(path.join(ROOT, file))).update('\0');
  return hash.digest('hex');
}

function statsOf(file) {
  // ROOT + sep + file, not path.join: the manifest's paths are already normal, and normalising 170 of
  // them on every start costs a couple of milliseconds.
  const s = fs.statSync(ROOT + path.sep + file);
  return [s.size, s.mtimeMs];
}

/** The cached bundle's path if it was built from the sources as they are now, else undefined. */
function freshBundle() {
  let manifest;
  try { manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')); } catch { return undefined; }
  if (manifest.entry !== ENTRY || !Array.isArray(manifest.inputs)) return undefined;
  const bundle = path.join(CACHE, manifest.bundle);
  try {
    if (!fs.existsSync(bundle)) return undefined;
    if (manifest.inputs.every((file, i) => { const [size, mtime] = statsOf(file); return size === manifest.stats[i][0] && mtime === manifest.stats[i][1]; })) return bundle;
    // Touched (git checkout, an editor's save without changes): the content decides.
    if (contentHash(manifest.inputs) !== manifest.hash) return undefined;
    writeManifest({ ...manifest, stats: manifest.inputs.map(statsOf) });
    return bundle;
  } catch {
    return undefined; // an input is gone: rebuild
  }
}

function writeManifest(manifest) {
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(manifest));
  fs.renameSync(tmp, MANIFEST); // atomic: a concurrent run sees the old manifest or this one
}

/** Packages the bundle leaves to require() at run time: every dependency but those in INLINE. */
const INLINE = ['cli-table3'];
function externalPackages() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !INLINE.includes(name));
  return names.flatMap((name) => [name, `${name}/*`]);
}

/** Bundles the CLI (dependencies stay in node_modules, but for INLINE) and records its inputs. Returns the bundle's path. */
function buildBundle() {
  const esbuild = require('esbuild');
  const result = esbuild.buildSync({
    entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    // Dependencies stay in node_modules, except the few every table-printing command loads at once:
    // inlined, they come from the code cache instead of resolving and compiling six little files.
    external: externalPackages(), write: false, metafile: true, logLevel: 'silent', outfile: path.join(CACHE, 'cli.js'),
    absWorkingDir: ROOT, // metafile paths are relative to this, whatever directory the user runs verdict from
  });
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.relative(ROOT, path.resolve(ROOT, f))).sort();
  const hash = contentHash(inputs);
  const name = `cli-${hash.slice(0, 16)}.js`;
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = path.join(CACHE, `${name}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, result.outputFiles[0].contents);
  // V8 checks a code cache against the source's length only: never keep one across a rebuild.
  fs.rmSync(path.join(CACHE, `${name}.v8cache`), { force: true });
  fs.renameSync(tmp, path.join(CACHE, name));
  writeManifest({ entry: ENTRY, bundle: name, hash, inputs, stats: inputs.map(statsOf) });
  for (const old of fs.readdirSync(CACHE)) if (/^cli-[0-9a-f]{16}\.js(\.v8cache)?$/.test(old) && !old.startsWith(name)) fs.rmSync(path.join(CACHE, old), { force: true });
  return path.join(CACHE, name);
}

/**
 * Loads the bundle with V8's code cache beside it (bundle.v8cache): parsing and compiling 700 KB is most
 * of what is left of a start. The cache is written after the first run (so it holds the functions that
 * run compiled) and rewritten whenever V8 rejects it (another Node version).
 */
function loadBundle(bundle) {
  const vm = require('node:vm');
  // This file's own module's class is node:module's Module; require('node:module') would compile the
  // public module facade first (about a millisecond).
  const Module = module.constructor;
  const cacheFile = `${bundle}.v8cache`;
  let cachedData;
  try { cachedData = fs.readFileSync(cacheFile); } catch { cachedData = undefined; }
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const bundleModule = { exports: {} };
  script.runInThisContext().call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
  if (!cachedData || script.cachedDataRejected) {
    process.once('beforeExit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch { /* no cache this time: the next run tries again */ }
    });
  }
  return bundleModule.exports;
}

function loadCli(command) {
  if (command !== 'start' && process.env.VERDICT_CLI_BUNDLE !== '0') {
    try {
      return loadBundle(freshBundle() ?? buildBundle());
    } catch {
      // Not buildable or storable here (read-only install, a syntax error tsx will report): run the sources.
    }
  } else if (command === 'start') {
    // Leave a fresh bundle behind for the commands the user runs next, in another terminal.
    try { freshBundle() ?? buildBundle(); } catch { /* the commands will build it or use tsx */ }
  }
  require('tsx/cjs');
  return require('../functions/cli/main.ts');
}

loadCli(process.argv[2])
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; })
  .catch((err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; });
