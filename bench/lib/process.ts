/**
 * A measurement in a fresh Node process of its own (a script under bench/peers/), so that it runs
 * without the benchmark's heap: its result is the last line it prints, as JSON. `files` are
 * written to a temporary folder first (their paths replace `{name}` in `args`) and removed after.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

export interface ProcessResult<T> {
  result: T;
  /** The process's stderr (its log lines). */
  log: string;
}

export const runInProcess = <T>(script: string, args: string[], { files = {}, timeoutSeconds = 1800 }: { files?: Record<string, unknown>; timeoutSeconds?: number } = {}): Promise<ProcessResult<T>> =>
  new Promise((resolve, reject) => {
    const dir = mkdtempSync(`${tmpdir()}/orgtime-bench-`);
    for (const [name, content] of Object.entries(files)) writeFileSync(`${dir}/${name}`, JSON.stringify(content));
    const argv = args.map((a) => a.replace(/^\{(.+)\}$/, (_, name: string) => `${dir}/${name}`));
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      rmSync(dir, { recursive: true, force: true });
      try {
        resolve({ result: JSON.parse(out.trim().split('\n').at(-1)!) as T, log: err });
      } catch {
        reject(new Error(`${script} exited ${code}: ${err.slice(-400)}`));
      }
    });
  });
