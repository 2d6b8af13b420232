/** Builds (or finds cached) the real servers and controllers once for the whole live suite. */
import type { TestProject } from 'vitest/node';
import { buildTools, type Binaries } from './harness/tools.ts';

declare module 'vitest' {
  export interface ProvidedContext { liveBinaries: Binaries }
}

export default async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  const bins = await buildTools((line) => process.stderr.write(`[live] ${line}\n`));
  process.stderr.write(`[live] tools ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  project.provide('liveBinaries', bins);
}
