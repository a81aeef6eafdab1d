/**
 * Stands in for the `debug` package in the Lambda bundles (an esbuild alias, lib/constructs/lambda-bundling.ts):
 * axios's proxy and redirect helpers (https-proxy-agent, agent-base, follow-redirects) log through `debug`,
 * which prints only when a DEBUG environment variable names them — never set for the functions. A logger
 * that never prints keeps ~8 KB (debug and supports-color) out of every bundle with axios.
 */
module.exports = function createDebug() {
  return function debug() {};
};
