/**
 * Serves the org-chart page (the Vite build in src/web/dist) in front of the GraphQL server.
 * GET and HEAD of anything but the API are answered from the build: a file when there is one,
 * index.html for any other extension-less path (so `/?asOf=…` and deep links load the page);
 * everything else goes to `next` (yoga). Files are gzipped once and kept in memory while unchanged.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const WEB_DIST = fileURLToPath(new URL('./dist/', import.meta.url));

/** Paths the GraphQL server owns: the endpoint (and GraphiQL on it) and yoga's health check. */
const isApiPath = (pathname: string) => pathname === '/graphql' || pathname.startsWith('/graphql/') || pathname === '/health';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.txt']);

/** The page talks to its own origin only: nothing from a CDN, no inline script. */
const PAGE_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

interface Asset {
  key: string;
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
}

const cache = new Map<string, Asset>();

const load = async (file: string): Promise<Asset | null> => {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const key = `${info.size}:${info.mtimeMs}`;
  const cached = cache.get(file);
  if (cached?.key === key) return cached;
  const body = await readFile(file);
  const ext = path.extname(file);
  const gzip = COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : null;
  const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
  const asset = { key, body, gzip, type: TYPES[ext] ?? 'application/octet-stream', etag };
  cache.set(file, asset);
  return asset;
};

const send = (req: IncomingMessage, res: ServerResponse, asset: Asset, cacheControl: string, extra: Record<string, string> = {}) => {
  res.setHeader('content-type', asset.type);
  res.setHeader('cache-control', cacheControl);
  res.setHeader('etag', asset.etag);
  res.setHeader('vary', 'accept-encoding');
  res.setHeader('x-content-type-options', 'nosniff');
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  if (req.headers['if-none-match'] === asset.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const gzipped = asset.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzipped ? asset.gzip! : asset.body;
  if (gzipped) res.setHeader('content-encoding', 'gzip');
  res.setHeader('content-length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
};

const plain = (res: ServerResponse, status: number, text: string) => {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
};

const servePage = async (req: IncomingMessage, res: ServerResponse, pathname: string, dir: string) => {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return plain(res, 400, 'Bad path');
  }
  const file = path.resolve(dir, '.' + path.posix.normalize(relative));
  if (file !== dir && !file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep)) return plain(res, 404, 'Not found');
  const hidden = relative.split('/').some((segment) => segment.startsWith('.'));
  const asset = relative.endsWith('/') || hidden ? null : await load(file);
  // Vite puts a content hash in every asset's name: such a URL never changes meaning.
  if (asset) return send(req, res, asset, relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (path.extname(relative) !== '') return plain(res, 404, 'Not found');
  const index = await load(path.join(dir, 'index.html'));
  if (!index) return plain(res, 503, 'The org-chart page has not been built: run `npm run build:web` (npm start and npm test do it for you).');
  send(req, res, index, 'no-cache', { 'content-security-policy': PAGE_POLICY, 'referrer-policy': 'no-referrer' });
};

/** `createServer(withWebPage(app.yoga))`: the page at `/`, the API where it was. */
export const withWebPage = (next: RequestListener, { dir = WEB_DIST }: { dir?: string } = {}): RequestListener => {
  const root = path.resolve(dir);
  return (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (isApiPath(pathname) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return next(req, res);
    }
    servePage(req, res, pathname, root).catch((error: unknown) => {
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy(error instanceof Error ? error : undefined);
    });
  };
};
