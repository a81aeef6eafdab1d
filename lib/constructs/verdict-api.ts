/**
 * The HTTP API: one route per entry of functions/api/routes (served by the function its servedBy names), each behind
 * the Lambda token authorizer unless the route says `public: true`. Per-route throttling, JSON access
 * logs to a log group with retention, and CORS only for the configured dashboard origins.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination, type HttpRoute,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route } from '../../functions/api/router';

/** How long API Gateway reuses an authorizer decision for the same Authorization header. */
export const AUTHORIZER_CACHE_TTL = Duration.minutes(5);

export interface VerdictApiProps {
  routes: readonly Pick<Route, 'method' | 'path' | 'public' | 'servedBy' | 'publicReason'>[];
  /** The function serving each route, by Route.servedBy (default: api). */
  handlers: Record<NonNullable<Route['servedBy']>, IFunction>;
  authorizer: IFunction;
  /** Browser origins besides the API's own that may call it (the dashboard in local dev, for example). */
  allowedOrigins: readonly string[];
  /** Steady requests per second per route; bursts may reach twice the rate. */
  readRatePerSecond: number;
  writeRatePerSecond: number;
  logRetention: RetentionDays;
}

export class VerdictApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: VerdictApiProps) {
    super(scope, id);
    const origins = [...new Set(props.allowedOrigins.map((o) => new URL(o).origin))];
    this.api = new HttpApi(this, 'Api', {
      description: 'Verdict API',
      createDefaultStage: false,
      // No CORS configuration at all unless an origin is named: the dashboard is served from the API's own origin.
      ...(origins.length > 0 && {
        corsPreflight: {
          allowOrigins: origins,
          allowMethods: [...new Set(props.routes.map((r) => CorsHttpMethod[r.method]))],
          allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
          exposeHeaders: ['location'],
          maxAge: Duration.hours(1),
        },
      }),
    });

    const tokenAuthorizer = new HttpLambdaAuthorizer('TokenAuthorizer', props.authorizer, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
    const integrations = {
      api: new HttpLambdaIntegration('ApiIntegration', props.handlers.api),
      mcp: new HttpLambdaIntegration('McpIntegration', props.handlers.mcp),
    };
    const routes: HttpRoute[] = [];
    for (const route of props.routes) {
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[route.servedBy ?? 'api'],
        authorizer: route.public ? new HttpNoneAuthorizer() : tokenAuthorizer,
      });
      if (route.public) {
        Validations.of(added.node.defaultChild!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is declared public (Route.public) in functions/api/routes: `
            + (route.publicReason ?? 'it serves no data (the dashboard page); every data route stays behind the token authorizer.'),
        });
      }
      routes.push(added);
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const defaultLimits = throttle(props.readRatePerSecond);
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: defaultLimits,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          routeKey: '$context.routeKey',
          status: '$context.status',
          responseLength: '$context.responseLength',
          latencyMs: '$context.responseLatency',
          authorizerError: '$context.authorizer.error',
          integrationError: '$context.integrationErrorMessage',
        })),
      },
    });
    // Per-route limits: writes are throttled harder than reads. RouteSettings name routes by key, so the
    // stage must be created after them.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(props.routes.map((r) => {
      const limits = r.method === 'GET' ? defaultLimits : throttle(props.writeRatePerSecond);
      return [`${r.method} ${r.path}`, { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit }];
    }));
    for (const route of routes) this.stage.node.addDependency(route);
  }

  /** The base URL, without a trailing slash. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}

function throttle(ratePerSecond: number): { rateLimit: number; burstLimit: number } {
  return { rateLimit: ratePerSecond, burstLimit: Math.max(1, Math.ceil(ratePerSecond * 2)) };
}
