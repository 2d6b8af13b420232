import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { toYaml } from '../src/output/yaml-emitter.js';
import { compileExample } from './support/examples.js';

const json = fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const tricky = fc.constantFrom('', ' ', '-', '- a', 'a: b', 'a #b', '#', 'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'true', '1', '-1', '+1', '.5', '1e3', '0x1F', '0o7', '012', '1_000', '12:30', '2001-12-14', '.inf', '-.Inf', '.NaN', '*', '&a', '!tag', '|', '>', "'q'", '"q"', '%x', '@x', '`x', '[a]', '{a}', 'a,b', '?', ':', 'a:', 'multi\nline', 'tab\there', ' lead', 'trail ', '${x.y}', "${a == 'B'}", 'p2c:bind:x.example.com', '--flag=value', 'root:team:db', '<<', '=', 'ü', '\u2028', 'a\\b');
const objects = fc.oneof(
  fc.dictionary(fc.oneof(fc.string(), tricky), fc.oneof(json, tricky, fc.array(tricky))),
  fc.array(fc.oneof(json, tricky, fc.dictionary(tricky, tricky))),
);

describe('YAML emitter', () => {
  it('round-trips any JSON value through the yaml parser, in YAML 1.2 and 1.1 (5000 values)', () => {
    fc.assert(fc.property(objects, (v) => {
      const text = toYaml(v);
      expect(parse(text)).toEqual(v);
      expect(parse(text, { version: '1.1' })).toEqual(v);
    }), { numRuns: 5000 });
  });

  it('quotes exactly what YAML 1.1 readers would misread', () => {
    for (const s of ['yes', 'on', 'off', 'y', 'N', '012', '12:30', '1_000', '2001-12-14', '0x1F']) {
      expect(parse(toYaml({ k: s }), { version: '1.1' })).toEqual({ k: s });
      expect(toYaml({ k: s })).toBe(`k: ${JSON.stringify(s)}\n`);
    }
  });

  it('writes what the yaml library would for the examples, modulo quoting style', async () => {
    const c = await compileExample('idp');
    for (const m of c.manifests.slice(0, 200)) {
      const ours = toYaml(m.object);
      expect(parseAllDocuments(ours).map((d) => d.toJS())).toEqual([JSON.parse(JSON.stringify(m.object))]);
      // Same shape line for line: only the quoting of some scalars may differ (the yaml
      // library writes multi-line strings as block scalars; we quote them on one line).
      if (!JSON.stringify(m.object).includes('\\n')) expect(ours.split('\n').length).toBe(stringify(JSON.parse(JSON.stringify(m.object)), { lineWidth: 0 }).split('\n').length);
    }
  });
});
