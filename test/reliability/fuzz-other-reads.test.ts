/** Fuzzed bodies, query strings and headers against the otherReads routes: no 5xx, rejected requests write nothing. */
import type { CountedApi } from './api-harness';
import { fuzzRoutes, ROUTE_PARTS, RUNS_PER_PART, startFuzzApi } from './fuzz-requests';

let api: CountedApi;
beforeAll(async () => { api = await startFuzzApi(); });
afterAll(async () => { await api.close(); });

it(`answers ${RUNS_PER_PART.otherReads} generated requests to the otherReads routes without a 5xx, and rejected ones leave nothing written`, async () => {
  expect(ROUTE_PARTS.otherReads.length).toBeGreaterThan(0);

  const statuses = await fuzzRoutes(api, ROUTE_PARTS.otherReads, RUNS_PER_PART.otherReads);

  expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
});
