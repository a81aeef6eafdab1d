/** Every API route, compiled once. The CDK stack and the local server both serve exactly these. */
import { compileRoutes } from '../router';
import { catalogRoutes } from './catalog';
import { dashboardRoutes } from './dashboard';
import { experimentRoutes } from './experiments';
import { healthRoutes } from './health';
import { observationRoutes } from './observations';

export const ROUTES = [...experimentRoutes, ...observationRoutes, ...catalogRoutes, ...healthRoutes, ...dashboardRoutes];
export const COMPILED_ROUTES = compileRoutes(ROUTES);
