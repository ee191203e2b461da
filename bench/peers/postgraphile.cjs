// PostGraphile v4 serving orgtime's read model (the peer a user would pick), in its own process:
// node bench/peers/postgraphile.cjs <database url> <port> <schema>. Prints "ready" when listening.
const http = require('node:http');
const Module = require('node:module');
const path = require('node:path');

// npm nests a graphql@15 under each graphile package (the project itself uses graphql 16), and
// two copies cannot share a schema: send every require('graphql…') in this process to postgraphile's.
const graphql15 = path.dirname(require.resolve('postgraphile/package.json'));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (request === 'graphql' || request.startsWith('graphql/'))
    return resolve.call(this, request, parent, isMain, { paths: [graphql15] });
  return resolve.call(this, request, parent, isMain, options);
};
const { postgraphile } = require('postgraphile');

const [url, port, schema] = process.argv.slice(2);
const handler = postgraphile(url, schema, {
  simpleCollections: 'only',
  disableDefaultMutations: true,
  graphiql: false,
  enableQueryBatching: false,
  disableQueryLog: true,
  ignoreRBAC: false,
  setofFunctionsContainNulls: false,
  retryOnInitFail: false,
});
http.createServer(handler).listen(Number(port), '127.0.0.1', () => console.log('ready'));
