#!/usr/bin/env -S node --max-semi-space-size=64
// `orgtime <command>` for installs that link the package's bin (npm link, npm install -g):
// registers tsx's loader, then runs the TypeScript CLI (src/main.ts) unchanged.
import { register } from 'tsx/esm/api';

register();
await import('../main.ts');
