/** GET /metrics: the metric catalog, so clients (CLI, dashboard, agents) offer only valid primary metrics. */
import { METRIC_CATALOG } from '../../domain/metric-catalog';
import type { Route } from '../router';

export const catalogRoutes: Route[] = [
  { method: 'GET', path: '/metrics', handle: async () => ({ status: 200, body: { items: METRIC_CATALOG } }) },
];
