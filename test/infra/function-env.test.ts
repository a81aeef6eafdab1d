/**
 * Each function's environment in the template is exactly what its entry point declares beside its
 * handler (HANDLER_ENV in functions/handlers/<name>.ts), both ways: nothing the handler requires is
 * missing, nothing it does not declare is set. Checked on every feature on, on the defaults, and with no
 * source enabled.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as z from '../../functions/domain/zod-mini';
import { declaredVariables } from '../../functions/shared/function-env';
import { FULL_CONFIG, ROUTES_WITH_PUBLIC, synthVerdict } from './synth';

const CONFIGS: [string, unknown][] = [
  ['every feature on', FULL_CONFIG],
  ['the defaults', {}],
  ['no source enabled', { sources: { x: { enabled: false } } }],
];

describe.each(CONFIGS)('with %s', (_name, verdict) => {
  const { stack } = synthVerdict({ verdict, routes: ROUTES_WITH_PUBLIC });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Properties: { Environment?: { Variables?: Record<string, unknown> } } }>;
  const functions = stack.functions();

  it('knows every function of the template (none escapes the check)', () => {
    const inTemplate = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(5);
    expect(inTemplate).toHaveLength(functions.length);
  });

  it.each(functions.map(([name, f]) => [name, f] as const))('%s: the template sets exactly the variables its handler declares', (_fn, f) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require(`../../functions/handlers/${f.handler}`) as { HANDLER_ENV: z.ZodMiniObject };
    const variables = resources[stack.getLogicalId(f.fn.node.defaultChild as CfnElement)].Properties.Environment?.Variables ?? {};

    const { required, optional } = declaredVariables(entry.HANDLER_ENV);
    const set = Object.keys(variables).sort();

    expect(set.filter((v) => !required.includes(v) && !optional.includes(v))).toEqual([]);
    expect(required.filter((v) => !set.includes(v))).toEqual([]);
  });
});
