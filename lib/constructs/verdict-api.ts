/**
 * The HTTP API: one route per entry of functions/api/route-table (served by the function its servedBy names), each behind
 * the Lambda token authorizer unless the route says `public: true`. Per-route throttling (the public
 * dashboard routes far lower), no access logs (a flood would pay for every line; see README "What a
 * flood costs"), and CORS only for the configured dashboard origins.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import {
  CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, type HttpRoute,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { RouteDefinition, ServingFunction } from '../../functions/api/route-table';

/**
 * How long API Gateway reuses an authorizer decision for the same Authorization header. With the
 * authorizer's own copy of the secret (TOKEN_MAX_AGE_MS, 1 minute) a rotated-out token stops within
 * 5 minutes; and the owner's requests inside this window never reach the authorizer, whatever a flood
 * of other tokens does to it.
 */
export const AUTHORIZER_CACHE_TTL = Duration.minutes(4);

/**
 * The public routes (the dashboard page and its assets: no token, so no authorizer in front) answer
 * anyone, each response costing a Lambda invocation and transfer: a page load's few requests fit the
 * burst; a flood gets one request per 20 seconds per route.
 */
export const PUBLIC_ROUTE_LIMITS = { rateLimit: 0.05, burstLimit: 10 } as const;

export interface VerdictApiProps {
  routes: readonly RouteDefinition[];
  /** The function serving each route, by its servedBy. */
  handlers: Record<ServingFunction, IFunction>;
  authorizer: IFunction;
  /** Browser origins besides the API's own that may call it (the dashboard in local dev, for example). */
  allowedOrigins: readonly string[];
  /** Steady requests per second per route; bursts may reach twice the rate. */
  readRatePerSecond: number;
  writeRatePerSecond: number;
}

export class VerdictApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

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
    // One integration per function that serves a route (construct ids from the function's name: ApiPlansIntegration, McpIntegration).
    const integrations = new Map<ServingFunction, HttpLambdaIntegration>();
    const integrationOf = (name: ServingFunction) => {
      if (!integrations.has(name)) {
        const id = `${name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Integration`;
        integrations.set(name, new HttpLambdaIntegration(id, props.handlers[name]));
      }
      return integrations.get(name)!;
    };
    const routes: HttpRoute[] = [];
    for (const route of props.routes) {
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.servedBy),
        authorizer: route.public ? new HttpNoneAuthorizer() : tokenAuthorizer,
      });
      if (route.public) {
        Validations.of(added.node.defaultChild!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is declared public in functions/api/route-table: `
            + (route.publicReason ?? 'it serves no data (the dashboard page); every data route stays behind the token authorizer.'),
        });
      }
      routes.push(added);
    }

    const defaultLimits = throttle(props.readRatePerSecond);
    this.stage = new HttpStage(this, 'DefaultStage', { httpApi: this.api, autoDeploy: true, throttle: defaultLimits });
    Validations.of(this.stage.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG1',
      reason: 'HTTP API access logs cannot leave out rejected requests, so a flood of random tokens would pay CloudWatch '
        + 'ingestion for every line (at the throttles: ~180 GB, ~$90 a month). The functions log every request they '
        + 'serve and every error; API Gateway\'s free metrics count the rejected ones (README "What a flood costs").',
    });
    // Per-route limits: writes are throttled harder than reads, public routes hardest. RouteSettings name routes by key, so the
    // stage must be created after them.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(props.routes.map((r) => {
      const limits = r.public ? PUBLIC_ROUTE_LIMITS : r.method === 'GET' ? defaultLimits : throttle(props.writeRatePerSecond);
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
