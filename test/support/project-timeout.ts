/**
 * Applies the Jest project's time limit (jest.config.js PROJECTS) to every test and hook of the file:
 * jest-circus reads only the global `testTimeout`, not a project's.
 */
const projectTimeoutMs = (globalThis as { verdictTestTimeoutMs?: number }).verdictTestTimeoutMs;
if (projectTimeoutMs) jest.setTimeout(projectTimeoutMs);
