/**
 * Stands in for the `form-data` package in the Lambda bundles (an esbuild alias, lib/constructs/lambda-bundling.ts):
 * Node's own spec-compliant FormData, which axios also serialises. No adapter sends multipart bodies, and
 * `form-data` would bundle mime-db (~134 KB minified) with it. CommonJS, because axios's Node build
 * `require`s the package and uses the export itself as the class.
 */
module.exports = globalThis.FormData;
