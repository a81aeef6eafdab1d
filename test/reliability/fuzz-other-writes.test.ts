/** Fuzzed bodies, query strings and headers against the otherWrites routes: no 5xx, rejected requests write nothing. */
import type { CountedApi } from './api-harness';
import { fuzzRoutes, ROUTE_PARTS, RUNS_PER_PART, startFuzzApi } from './fuzz-requests';

let api: CountedApi;
beforeAll(async () => { api = await startFuzzApi(); });
afterAll(async () => { await api.close(); });

it(`answers ${RUNS_PER_PART.otherWrites} generated requests to the otherWrites routes without a 5xx, and rejected ones leave nothing written`, async () => {
  expect(ROUTE_PARTS.otherWrites.length).toBeGreaterThan(0);

  const statuses = await fuzzRoutes(api, ROUTE_PARTS.otherWrites, RUNS_PER_PART.otherWrites);

  expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
});
