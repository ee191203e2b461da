/**
 * `npm run build:web`: builds the org-chart page with Vite into src/web/dist.
 *
 * It runs before every `npm start` / `npm test`, so it does nothing when the build is newer than
 * everything it is built from. As in scripts/prisma-generate.mjs, freshness is proven by a stamp
 * written only after a successful build (a half-written dist would also look new), dated when
 * the build *started* so that a file edited during the build stays newer. `--force` rebuilds.
 */
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_ROOT = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(WEB_ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const CONFIG = path.join(WEB_ROOT, 'vite.config.ts');
/** Server-side files in this folder that the page is not built from. */
const NOT_INPUTS = new Set(['dist', 'build.ts', 'serve-static.ts', '.gitignore']);

const mtime = (file: string): number | undefined => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The newest modification time among the page's sources, its config and the installed Vite. */
const newestInput = (): number => {
  let newest = mtime(path.join(WEB_ROOT, '..', '..', 'node_modules', 'vite', 'package.json')) ?? 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (dir === WEB_ROOT && NOT_INPUTS.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, mtime(full) ?? 0);
    }
  };
  walk(WEB_ROOT);
  return newest;
};

export const isFresh = (): boolean => {
  const stamped = mtime(STAMP);
  return stamped !== undefined && existsSync(path.join(DIST, 'index.html')) && newestInput() <= stamped;
};

/** Build unless fresh; returns whether it built. */
export const buildWebPage = async ({ force = false, log = (m: string) => console.error(m) } = {}): Promise<boolean> => {
  if (!force && isFresh()) return false;
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: CONFIG, logLevel: 'warn' });
  writeFileSync(STAMP, 'written by src/web/build.ts after a successful build\n');
  utimesSync(STAMP, new Date(started), new Date(started));
  log(`[orgtime] built the org-chart page into src/web/dist in ${Date.now() - started} ms`);
  return true;
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWebPage({ force: process.argv.includes('--force') }).catch((error: unknown) => {
    console.error(`[orgtime] building the org-chart page failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
