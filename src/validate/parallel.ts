import { Worker, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SchemaCatalog } from './schema-catalog.js';
import type { Checked } from './validate.js';
import type { Signer } from './verdicts.js';

/**
 * How many threads validate: P2C_WORKERS (1 or 2), else one. A second thread (a worker validating 60 % of the
 * objects while this one renders and checks the rest) gains about 10 % at 1,000 teams on the two-core machines p2c is
 * measured on (README, Performance): two threads there do about 1.4 times the work of one, and the worker spends a
 * second starting and takes its own copy of the objects. It is there for machines where it pays.
 */
export function workersFor(): number {
  const set = Number(process.env['P2C_WORKERS']);
  return Number.isInteger(set) && set >= 2 && availableParallelism() >= 2 ? 2 : 1;
}

const fromSources = import.meta.url.endsWith('.ts');

/** Each object's findings, and the verdict entry of each object without any (when given a signer). */
export interface WorkerResult {
  readonly found: Diagnostic[][];
  readonly passed: ReadonlyArray<string | undefined>;
}

/**
 * The worker's entry: its module, behind tsx when p2c runs from sources (a clone, where the modules are TypeScript,
 * as bin/p2c.js does), and a guard that answers even when that module cannot load, so the compiler never waits long.
 */
function workerEntry(): string {
  const entry = new URL(`./validation-worker${fromSources ? '.ts' : '.js'}`, import.meta.url).href;
  let register = '';
  if (fromSources) {
    const require = createRequire(import.meta.url);
    const tsx = require.resolve('tsx/package.json');
    const api = (require(tsx) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
    register = `(await import(${JSON.stringify(pathToFileURL(path.join(path.dirname(tsx), api)).href)})).register();`;
  }
  return `(async () => {
    const { workerData } = await import('node:worker_threads');
    try { ${register} await import(${JSON.stringify(entry)}); } catch (e) {
      workerData.port.postMessage({ error: String(e) });
      Atomics.store(workerData.done, 0, 1);
      Atomics.notify(workerData.done, 0);
    }
  })();`;
}

/** How many workers of this process answered (for tests: that two threads really ran). */
export let workersAnswered = 0;

/**
 * Validates `objects` on another core while the caller goes on (the worker loads p2c and its schemas first, about
 * a second). `result()` waits for it (synchronously: the compiler is synchronous) and gives each object's findings,
 * or undefined when the worker failed, so the caller validates those objects itself: a worker never loses a finding.
 */
export function validateInWorker(objects: readonly Checked[], catalog: SchemaCatalog, bindOnly: ReadonlySet<string>, signer?: Signer): { result(): WorkerResult | undefined } {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    const workerData = {
      // Origins go without their lazy file:line (a function): each finding gets it back below.
      objects: objects.map((m) => ({ object: m.object, origin: { path: m.origin.path } })),
      schemas: catalog.schemaEntries(), bindOnly: [...bindOnly], signer, port: port2, done,
    };
    worker = new Worker(workerEntry(), { eval: true, workerData, transferList: [port2], stdout: false, stderr: false });
  } catch {
    port1.close();
    return { result: () => undefined };
  }
  worker.unref();
  return {
    result() {
      // A worker that dies without a word (killed, out of memory) never sets `done`: give up after ten minutes.
      const deadline = Date.now() + 600_000;
      while (Atomics.load(done, 0) === 0 && Date.now() < deadline) Atomics.wait(done, 0, 0, 1000);
      const message = receiveMessageOnPort(port1)?.message as { found?: Diagnostic[][]; passed?: Array<string | undefined> } | undefined;
      port1.close();
      void worker.terminate();
      if (message?.found?.length !== objects.length) return undefined;
      workersAnswered++;
      const found = message.found.map((found, i) => {
        const location = objects[i]!.origin.location;
        return location ? found.map((d) => ({ ...d, location: location() })) : found;
      });
      return { found, passed: message.passed ?? [] };
    },
  };
}
