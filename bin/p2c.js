#!/usr/bin/env node
// The p2c command. Mesh programs are TypeScript, so tsx is registered either way. In the installed package p2c runs
// from its compiled code (lib/); in a clone of p2c's own repository, with no build step, from its sources (src/),
// and `import … from 'p2c'` in a mesh program there resolves to the sources too (the `p2c-source` condition).
import { register } from 'tsx/esm/api';
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';

const fromSources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
if (fromSources) {
  const hooks = 'export async function resolve(s, c, next) { return next(s, { ...c, conditions: [...c.conditions, "p2c-source"] }); }';
  registerHooks(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
register();
await import(fromSources ? '../src/cli/main.ts' : '../lib/src/cli/main.js');
