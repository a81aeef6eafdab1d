/**
 * Stands in for `follow-redirects` in the Lambda bundles (an esbuild alias, lib/constructs/lambda-bundling.ts).
 * axios's Node adapter sends through follow-redirects only a request that may follow redirects; every
 * axios request here sets `maxRedirects: 0` (the sources' client, functions/sources/http-client.ts, and the
 * digest's webhook), so axios uses Node's own http/https and these are never called. ~9 KB.
 */
const refuse = () => {
  throw new Error('follow-redirects is not bundled: requests here set maxRedirects: 0');
};
module.exports = { http: { request: refuse, get: refuse }, https: { request: refuse, get: refuse } };
