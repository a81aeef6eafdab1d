/**
 * The project's Lambda function: newest Node.js runtime in aws-cdk-lib, arm64, esbuild-bundled and
 * minified with source maps, an explicit log group with retention, and the deployment's config inlined
 * at bundle time (it holds no secrets). Least privilege is granted through the helpers below.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { AppConfig } from '../../functions/shared/app-config';
import { lambdaBundling } from './lambda-bundling';

export interface VerdictFunctionProps {
  /** File under functions/handlers/, without extension. */
  handler: string;
  description: string;
  config: AppConfig;
  timeout: Duration;
  memorySize: number;
  environment?: Record<string, string>;
  logRetention?: RetentionDays;
}

export class VerdictFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: VerdictFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'functions', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'verdict', ...props.environment },
      bundling: lambdaBundling(props.config),
    });
  }

  /** Read/write items of the table (and its indexes) — data-plane actions only, no table admin. */
  useTable(table: ITableV2, access: 'read' | 'readWrite'): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    if (access === 'read') table.grantReadData(this.fn);
    else table.grantReadWriteData(this.fn);
    return this;
  }

  /** Read one secret's value; the function gets its ARN (never its value) in `envVar`. */
  readSecret(secret: ISecret, envVar: string): this {
    this.fn.addEnvironment(envVar, secret.secretArn);
    secret.grantRead(this.fn);
    return this;
  }
}
