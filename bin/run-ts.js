#!/usr/bin/env node
// Runs a TypeScript file of this repository (benchmarks) through tsx, like bin/p2c.js does.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';

register();
const [file, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(file), ...rest];
await import(pathToFileURL(path.resolve(file)).href);
