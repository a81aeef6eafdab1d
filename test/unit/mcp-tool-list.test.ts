/**
 * The MCP tool list built ahead (functions/mcp/tool-list.ts) is the one the routes give now: a route whose
 * documented schemas changed without `npm run mcp-tool-list` fails here, never in an agent's hands.
 */
import { ROUTES } from '../../functions/api/routes';
import { PACKED_TOOL_LIST } from '../../functions/mcp/tool-list';
import { describeTools, packedTools, TOOL_SPECS } from '../../functions/mcp/tools';

describe('the MCP tool list built ahead', () => {
  it('equals the descriptions and JSON Schemas generated from the routes now (else run npm run mcp-tool-list)', () => {
    const packed = packedTools(PACKED_TOOL_LIST).map(({ call: _call, ...description }) => description);

    expect(packed).toEqual(describeTools(ROUTES));
  });

  it('names every tool spec once, in order', () => {
    expect(packedTools(PACKED_TOOL_LIST).map((t) => t.name)).toEqual(TOOL_SPECS.map((s) => s.name));
  });
});
