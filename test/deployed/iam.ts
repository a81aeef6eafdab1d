/**
 * Whether a role's identity policies (the template's AWS::IAM::Policy resources attached to it, with
 * intrinsics resolved) allow one call: an Allow statement whose Action and Resource patterns match
 * (`*` and `?` wildcards, actions case-insensitive) and whose conditions hold for the call's context.
 * No statement matching = implicit deny; any matching Deny wins. Unknown condition operators never
 * match, so the check errs towards "not allowed".
 */
import type { AwsCall } from './aws-endpoint';
import type { Json, TemplateResolver } from './template';

export interface Statement { effect: 'Allow' | 'Deny'; actions: string[]; resources: string[]; conditions: Json }

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function glob(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
}

/** The statements of every policy attached to `roleLogicalId`, resolved. */
export function statementsOf(resolver: TemplateResolver, roleLogicalId: string): Statement[] {
  return resolver.ofType('AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties!.Roles as Json[]).some((r) => r.Ref === roleLogicalId))
    .flatMap(([, p]) => asArray(p.Properties!.PolicyDocument.Statement as Json[]))
    .map((s) => ({
      effect: s.Effect,
      actions: asArray(s.Action as string[]),
      resources: asArray(resolver.resolve(s.Resource) as string[]),
      conditions: (s.Condition ?? {}) as Json,
    }));
}

function conditionsHold(conditions: Json, context: Record<string, string>): boolean {
  return Object.entries(conditions).every(([operator, tests]) => Object.entries(tests as Json).every(([key, expected]) => {
    const actual = context[key];
    const values = asArray(expected as string[]);
    if (actual === undefined) return false;
    switch (operator) {
      case 'StringEquals': return values.includes(actual);
      case 'StringLike': return values.some((v) => glob(v, actual));
      default: return false;
    }
  }));
}

const matches = (s: Statement, call: Pick<AwsCall, 'action' | 'resource' | 'context'>) =>
  s.actions.some((a) => glob(a, call.action, true)) && s.resources.some((r) => glob(r, call.resource)) && conditionsHold(s.conditions, call.context);

export function isAllowed(statements: readonly Statement[], call: Pick<AwsCall, 'action' | 'resource' | 'context'>): boolean {
  if (statements.some((s) => s.effect === 'Deny' && matches(s, call))) return false;
  return statements.some((s) => s.effect === 'Allow' && matches(s, call));
}

/** Every (action, resource) an Allow statement grants, as `action on resource`. */
export function grantsOf(statements: readonly Statement[]): { action: string; resource: string; statement: Statement }[] {
  return statements.filter((s) => s.effect === 'Allow').flatMap((s) => s.actions.flatMap((action) => s.resources.map((resource) => ({ action, resource, statement: s }))));
}

/** Whether some recorded call exercised this grant (its action and resource, conditions holding). */
export function grantUsed(grant: { action: string; resource: string; statement: Statement }, calls: readonly AwsCall[]): boolean {
  return calls.some((c) => glob(grant.action, c.action, true) && glob(grant.resource, c.resource) && conditionsHold(grant.statement.conditions, c.context));
}
