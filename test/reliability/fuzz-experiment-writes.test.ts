/** Fuzzed bodies, query strings and headers against the experimentWrites routes: no 5xx, rejected requests write nothing. */
import type { CountedApi } from './api-harness';
import { fuzzRoutes, ROUTE_PARTS, RUNS_PER_PART, startFuzzApi } from './fuzz-requests';

let api: CountedApi;
beforeAll(async () => { api = await startFuzzApi(); });
afterAll(async () => { await api.close(); });

it(`answers ${RUNS_PER_PART.experimentWrites} generated requests to the experimentWrites routes without a 5xx, and rejected ones leave nothing written`, async () => {
  expect(ROUTE_PARTS.experimentWrites.length).toBeGreaterThan(0);

  const statuses = await fuzzRoutes(api, ROUTE_PARTS.experimentWrites, RUNS_PER_PART.experimentWrites);

  expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
});
