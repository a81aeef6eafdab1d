/**
 * Reading a synthesized CloudFormation template the way CloudFormation would deploy it: intrinsic
 * functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) resolved against the emulated
 * resources' names and ARNs, plus the pseudo parameters of the emulated account.
 */
export type Json = Record<string, any>;

export interface CfnResource { Type: string; Properties?: Json; Metadata?: Json; DependsOn?: string | string[] }
export interface CfnTemplate { Resources: Record<string, CfnResource> }

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const PARTITION = 'aws';

/** What a resource's Ref and GetAtt resolve to once it "exists". */
export interface PhysicalResource { ref: string; attributes?: Record<string, string> }

export class TemplateResolver {
  private readonly physical = new Map<string, PhysicalResource>();

  constructor(readonly template: CfnTemplate) {}

  /** Declares what `logicalId` resolves to (after creating it in an emulator). */
  define(logicalId: string, resource: PhysicalResource): void {
    this.physical.set(logicalId, resource);
  }

  ofType(type: string): [string, CfnResource][] {
    return Object.entries(this.template.Resources).filter(([, r]) => r.Type === type);
  }

  resource(logicalId: string): CfnResource {
    const r = this.template.Resources[logicalId];
    if (!r) throw new Error(`No resource ${logicalId} in the template`);
    return r;
  }

  /** Resolves every intrinsic in `value`; throws on a reference to a resource nobody defined. */
  resolve(value: unknown): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (!value || typeof value !== 'object') return value;
    const obj = value as Json;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [key] = keys;
      const arg = obj[key];
      switch (key) {
        case 'Ref': return this.ref(arg as string);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(id, attr);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, unknown];
          return String(this.resolve(text)).split(sep);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? (arg as [string, Json]) : [arg as string, {}];
          return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
            if (name in vars) return String(this.resolve(vars[name]));
            return name.includes('.') ? this.getAtt(...(name.split('.') as [string, string])) : this.ref(name);
          });
        }
      }
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, this.resolve(v)]));
  }

  private ref(id: string): string {
    switch (id) {
      case 'AWS::AccountId': return ACCOUNT;
      case 'AWS::Region': return REGION;
      case 'AWS::Partition': return PARTITION;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return 'Verdict';
    }
    const p = this.physical.get(id);
    if (!p) throw new Error(`Ref to ${id} (${this.template.Resources[id]?.Type ?? 'unknown'}), which the harness did not create`);
    return p.ref;
  }

  private getAtt(id: string, attr: string): string {
    const p = this.physical.get(id);
    const value = p?.attributes?.[attr];
    if (value === undefined) throw new Error(`GetAtt ${id}.${attr} (${this.template.Resources[id]?.Type ?? 'unknown'}), which the harness did not create`);
    return value;
  }
}

/** `arn:aws:<service>:<region>:<account>:<resource>` of the emulated account. */
export const arnOf = (service: string, resource: string, region: string = REGION) => `arn:${PARTITION}:${service}:${region}:${ACCOUNT}:${resource}`;
