/**
 * Validates a share of the objects on another core (parallel.ts): the same checks, on plain data handed over, with
 * the result posted back on the port given, then `done` set so the compiler (waiting synchronously) reads it.
 */
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { SchemaCatalog, type SchemaEntry } from './schema-catalog.js';
import { securityRulesOf } from './security.js';
import { objectProblems, type Checked } from './validate.js';
import { verdictEntry, type Signer } from './verdicts.js';

const { objects, schemas, bindOnly, signer, port, done } = workerData as {
  objects: Checked[]; schemas: SchemaEntry[]; bindOnly: string[]; signer?: Signer; port: MessagePort; done: Int32Array;
};
try {
  const catalog = new SchemaCatalog(schemas);
  const security = securityRulesOf(new Set(bindOnly));
  const found = objects.map((m) => [...objectProblems(m, catalog), ...security.check(m)]);
  const passed = signer ? objects.map((m, i) => (found[i]!.length === 0 ? verdictEntry(signer, m.object, security.context(m)) : undefined)) : [];
  port.postMessage({ found, passed });
} catch (e) {
  port.postMessage({ error: e instanceof Error ? e.message : String(e) });
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  port.close();
}
