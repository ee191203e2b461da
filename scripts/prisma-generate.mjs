#!/usr/bin/env node
// `npm run generate`: runs `prisma generate` (the Prisma client and the Pothos types under
// src/generated/) on machines where Prisma cannot download its native schema engine.
//
// Why the environment below: every Prisma CLI command first looks for the schema engine and tries
// to download it; the download host is unreachable here. `generate` never uses the engine, so
// pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing executable (this Node binary) is enough.
//
// It runs before every `npm start` / `npm test`, so it skips the work when the output is newer
// than its inputs. The proof of freshness is a stamp written only after a successful run: the
// generated folder's own mtimes would also be fresh after a generation that failed half-way.
// `--force` regenerates regardless; other arguments go to `prisma generate`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma', 'schema.prisma');
const output = path.join(root, 'src', 'generated', 'prisma');
const stamp = path.join(root, 'src', 'generated', '.prisma-generate.stamp');
// What the output depends on: the schema, the Prisma config, the installed Prisma version.
const inputs = [schema, path.join(root, 'prisma.config.ts'), path.join(root, 'node_modules', 'prisma', 'package.json')];

const args = process.argv.slice(2);
const force = args.includes('--force');
const prismaArgs = args.filter((a) => a !== '--force');

function mtime(file) {
  try { return fs.statSync(file).mtimeMs; } catch { return undefined; }
}

function upToDate() {
  const stamped = mtime(stamp);
  if (stamped === undefined || mtime(schema) === undefined) return false;
  if (!fs.existsSync(output) || fs.readdirSync(output).length === 0) return false; // deleted output
  return inputs.every((file) => (mtime(file) ?? 0) <= stamped);
}

if (!force && upToDate()) process.exit(0);

const localBin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'prisma.cmd' : 'prisma');
const [command, commandArgs] = fs.existsSync(localBin)
  ? [localBin, ['generate', ...prismaArgs]]
  : ['npx', ['--no-install', 'prisma', 'generate', ...prismaArgs]];

const engine = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
const env = {
  ...process.env,
  // Generators such as `prisma-pothos-types` are found on PATH, as under `npm run`.
  PATH: [path.join(root, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(path.delimiter),
  // Keep a real engine if the user has one; otherwise any executable satisfies the lookup.
  PRISMA_SCHEMA_ENGINE_BINARY: engine && fs.existsSync(engine) ? engine : process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1', // Prisma's version check phones home; offline it only adds delay
};

const started = Date.now();
const child = spawn(command, commandArgs, { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' });
child.on('error', (err) => {
  console.error(`prisma-generate: could not run ${command}: ${err.message}. Run \`npm ci\` first.`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (code === 0) {
    // Stamped with the time generation *started*: an input edited during the run stays newer.
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, 'written by scripts/prisma-generate.mjs after a successful `prisma generate`\n');
    fs.utimesSync(stamp, new Date(started), new Date(started));
  }
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
});
