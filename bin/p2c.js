#!/usr/bin/env node
// Runs the TypeScript CLI (and users' TypeScript mesh programs) through tsx, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
