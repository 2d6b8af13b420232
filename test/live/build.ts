/** `npm run live:build`: builds (or finds cached) every binary the live suite runs, printing progress. */
import { buildTools } from './harness/tools.ts';

const started = Date.now();
const bins = await buildTools();
for (const [name, path] of Object.entries(bins)) process.stderr.write(`  ${name}: ${path}\n`);
process.stderr.write(`live tools ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
