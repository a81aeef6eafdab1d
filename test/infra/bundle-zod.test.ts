/**
 * Issue 20, bundles: no Lambda bundle carries classic zod. functions/ writes its schemas with zod/mini
 * through functions/domain/zod-mini.ts (the import rules hold it there); this reads each handler's
 * esbuild metafile, with the options CDK bundles with, for what actually ends up inside: zod/mini, zod's
 * English messages (zod/mini loads none by itself), and classic zod only where the MCP SDK imports it.
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { parseAppConfig } from '../../functions/shared/app-config';
import { esbuildOptionsFor, HANDLERS, ROOT } from '../bench/bundles';

const CLASSIC = /node_modules\/zod\/v4\/classic\//;
const isZod = (path: string) => /node_modules\/zod\//.test(path);

async function metafileOf(handler: (typeof HANDLERS)[number]): Promise<Metafile> {
  // The dashboard's injected assets are left out: they are not code and carry no zod.
  const options = esbuildOptionsFor(parseAppConfig({}));
  const result = await build({
    ...options,
    entryPoints: [join(ROOT, 'functions', 'handlers', `${handler}.ts`)],
    absWorkingDir: ROOT,
    outfile: join(ROOT, 'bundle.js'),
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  return result.metafile;
}

/** Inputs outside zod that import classic zod, as repo-relative paths. */
function classicImporters(meta: Metafile): string[] {
  return Object.entries(meta.inputs)
    .filter(([path, input]) => !isZod(path) && input.imports.some((i) => isZod(i.path) && /node_modules\/zod\/(index|v4\/index|v4\/classic)/.test(i.path)))
    .map(([path]) => path);
}

describe('zod in the Lambda bundles', () => {
  it.each(HANDLERS.filter((h) => h !== 'mcp'))('the %s bundle has zod/mini and English messages, no classic zod', async (handler) => {
    const inputs = Object.keys((await metafileOf(handler)).inputs);

    expect(inputs.filter((p) => CLASSIC.test(p))).toEqual([]);
    expect(inputs.some((p) => /node_modules\/zod\/v4\/mini\//.test(p))).toBe(true);
    expect(inputs.some((p) => /node_modules\/zod\/v4\/locales\/en\.js$/.test(p))).toBe(true);
  });

  it('the mcp bundle reaches classic zod, if at all, only through the MCP SDK', async () => {
    const meta = await metafileOf('mcp');

    expect(Object.keys(meta.inputs).some((p) => /node_modules\/zod\/v4\/mini\//.test(p))).toBe(true);
    expect(classicImporters(meta).filter((p) => !p.includes('node_modules/@modelcontextprotocol/sdk/'))).toEqual([]);
  });
});
