/**
 * Issue 20, bundles: no Lambda bundle carries classic zod. functions/ writes its schemas with zod/mini
 * through functions/domain/zod-mini.ts (the import rules hold it there); this reads each handler's
 * esbuild metafile, with the options CDK bundles with, for what actually ends up inside: zod/mini, zod's
 * English messages (zod/mini loads none by itself), and no classic zod — the MCP function included: it answers
 * MCP itself (functions/mcp/protocol.ts) instead of carrying the SDK, whose protocol types are classic zod.
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { parseAppConfig } from '../../functions/shared/app-config';
import { esbuildOptionsFor, HANDLERS, ROOT } from '../bench/bundles';

const CLASSIC = /node_modules\/zod\/v4\/classic\//;

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

describe('zod in the Lambda bundles', () => {
  it.each(HANDLERS)('the %s bundle has zod/mini and English messages, no classic zod', async (handler) => {
    const inputs = Object.keys((await metafileOf(handler)).inputs);

    expect(inputs.filter((p) => CLASSIC.test(p))).toEqual([]);
    expect(inputs.some((p) => /node_modules\/zod\/v4\/mini\//.test(p))).toBe(true);
    expect(inputs.some((p) => /node_modules\/zod\/v4\/locales\/en\.js$/.test(p))).toBe(true);
  });

  it('the mcp bundle carries no MCP SDK (the SDK stays the reference client in the tests)', async () => {
    const inputs = Object.keys((await metafileOf('mcp')).inputs);

    expect(inputs.filter((p) => p.includes('node_modules/@modelcontextprotocol/'))).toEqual([]);
  });

  it('the mcp bundle carries no route, no store and no JSON Schema generation (its tools call the API over HTTP; their schemas come packed)', async () => {
    // What contributes bytes (the metafile's inputs list files tree-shaken to nothing too).
    const output = Object.values((await metafileOf('mcp')).outputs).find((o) => o.entryPoint)!;
    const inputs = Object.entries(output.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([p]) => p);

    expect(inputs.filter((p) => /^functions\/(api\/routes|store|domain\/(scoring|planning))\//.test(p) || /zod\/v4\/core\/(to-json-schema|json-schema)/.test(p))).toEqual([]);
    expect(inputs).toEqual(expect.arrayContaining(['functions/mcp/protocol.ts', 'functions/cli/api-client.ts']));
  });
});
