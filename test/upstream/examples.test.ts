/**
 * Each manifest real projects wrote by hand for this job (../shared/examples-upstream) re-expressed with p2c's public API
 * (examples/upstream/<name>/mesh.ts), compared field by field with p2c's output. Every difference that remains is
 * listed, with its reason, in README's "Upstream examples, re-expressed" table: a new difference, or a listed one that
 * no longer occurs, fails here. Without ../shared the facts each example must keep are still checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/model/mesh.js';
import { compileExample } from '../support/examples.js';
import { covers, fieldDiff } from '../support/field-diff.js';
import { upstreamCatalog } from '../support/oracle.js';
import { repoRoot } from '../support/paths.js';

const upstreamExamples = process.env['P2C_UPSTREAM_EXAMPLES'] ?? path.resolve(repoRoot, '../shared/examples-upstream');
const haveExamples = fs.existsSync(upstreamExamples);

interface Case {
  readonly example: string;
  readonly files: readonly string[];
  /** Upstream `Kind/name` → p2c's, where p2c names the object otherwise. */
  readonly renamed?: Readonly<Record<string, string>>;
  /** What p2c's object must say even without the upstream files at hand: the facts carried over. */
  readonly facts: Readonly<Record<string, Record<string, unknown>>>;
}

const cases: readonly Case[] = [
  {
    example: 'kcp-admission-webhook',
    files: ['kcp/admission-webhook-apiexport.yaml', 'kcp/admission-webhook-apibinding.yaml'],
    facts: {
      'APIExport/today-cowboys': { apiVersion: 'apis.kcp.io/v1alpha2', spec: { resources: [{ name: 'cowboys', group: 'wildwest.dev', storage: { crd: {} } }] } },
      'APIBinding/cowboys': { spec: { reference: { export: { path: 'root:provider', name: 'today-cowboys' } } } },
    },
  },
  {
    example: 'kubecon-london',
    files: ['kcp-contrib/kubecon-london-resources-cluster.yaml'],
    facts: {
      'PublishedResource/publish-cnpg-cluster': {
        spec: {
          resource: { kind: 'Cluster', apiGroup: 'postgresql.cnpg.io', versions: ['v1'] },
          naming: { namespace: '{{ .ClusterName }}', name: '{{ .Object.metadata.name }}' },
          related: [{ identifier: 'credentials', origin: 'kcp', resource: 'secrets', object: { reference: { path: 'spec.superuserSecret.name' } } }],
        },
      },
    },
  },
  {
    example: 'multicluster-provider',
    files: ['multicluster-provider/apiexport-bundle.yaml'],
    facts: {
      'APIExport/examples-apiexport-multicluster': { spec: { permissionClaims: [{ group: '', resource: 'configmaps', verbs: ['*'] }, { group: '', resource: 'events', verbs: ['*'] }] } },
      'WorkspaceType/examples-apiexport-multicluster': {
        spec: { defaultAPIBindings: [{ export: 'examples-apiexport-multicluster', path: 'root' }], defaultChildWorkspaceType: { name: 'universal', path: 'root' }, extend: { with: [{ name: 'universal', path: 'root' }] } },
      },
      'Workspace/example1': { spec: { type: { name: 'examples-apiexport-multicluster', path: 'root' } } },
    },
  },
  {
    example: 'provider-quickstart',
    files: ['provider-quickstart/managedprovider.yaml', 'provider-quickstart/rbac-clusterrole.yaml'],
    renamed: { 'ClusterRole/wildwest-controller': 'ClusterRole/p2c:operator:wildwest' },
    facts: {
      'ManagedProvider/wildwest': {
        metadata: { namespace: 'platform-mesh-system' },
        spec: { platformMeshRef: { name: 'platform-mesh' }, cleanupOnDelete: false, runtimeDeployments: [{ flux: { chart: 'wildwest-controller', version: '0.0.9' } }, { flux: { chart: 'wildwest-portal' } }, { flux: { chart: 'wildwest-armament-sync' } }] },
      },
    },
  },
];

/** README's table: example → `Kind/name` (or `*`, every object) → the fields listed as deliberate differences. */
function listedDifferences(): Map<string, Map<string, string[]>> {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split('### Upstream examples, re-expressed')[1]?.split(/\n#/)[0] ?? '';
  const out = new Map<string, Map<string, string[]>>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim().replace(/^`|`$/g, ''));
    if (cells.length < 4 || cells[0] === 'example' || /^-+$/.test(cells[0]!)) continue;
    const [example, object, field] = cells as [string, string, string];
    const byObject = out.get(example) ?? out.set(example, new Map()).get(example)!;
    (byObject.get(object) ?? byObject.set(object, []).get(object)!).push(field);
  }
  return out;
}

const upstreamObjects = (c: Case): KubeObject[] =>
  c.files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(upstreamExamples, f), 'utf8')).map((d) => d.toJS() as KubeObject).filter(Boolean));

describe.each(cases)('upstream example $example, re-expressed with p2c', (c) => {
  const ours = async () => (await compileExample(`upstream/${c.example}`, { catalog: upstreamCatalog() }));
  const find = (objects: readonly { object: KubeObject }[], key: string) => objects.find((m) => `${m.object.kind}/${m.object.metadata.name}` === key)?.object;

  it('synthesizes without findings, every object valid against the upstream CRDs it has', async () => {
    const compiled = await ours();
    expect(compiled.diagnostics).toEqual([]);
    for (const o of compiled.manifests.map((m) => m.object).filter((x) => upstreamCatalog().has(x.apiVersion, x.kind))) {
      expect(upstreamCatalog().validate(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
    }
  });

  it('keeps the facts of the upstream objects', async () => {
    const compiled = await ours();
    for (const [key, fact] of Object.entries(c.facts)) expect(find(compiled.manifests, key), key).toMatchObject(fact);
  });

  it.skipIf(!haveExamples)('differs from the upstream objects only where README lists it, and everywhere it lists', async () => {
    const compiled = await ours();
    const listed = listedDifferences();
    const everyObject = listed.get('*')?.get('*') ?? [];
    const ofExample = listed.get(c.example) ?? new Map<string, string[]>();
    const used = new Set<string>();
    for (const u of upstreamObjects(c)) {
      const key = c.renamed?.[`${u.kind}/${u.metadata.name}`] ?? `${u.kind}/${u.metadata.name}`;
      const mine = find(compiled.manifests, key);
      expect(mine, `p2c writes ${key}`).toBeDefined();
      const fields = ofExample.get(key) ?? [];
      for (const p of fieldDiff(u, mine)) {
        const by = fields.find((f) => covers(f, p));
        if (by) used.add(`${key} ${by}`);
        else expect(everyObject.some((f) => covers(f, p)), `${c.example} ${key}: '${p}' differs from upstream and README does not list it`).toBe(true);
      }
    }
    for (const [key, fields] of ofExample) for (const f of fields) expect(used.has(`${key} ${f}`), `README lists ${c.example} ${key} '${f}', which no longer differs`).toBe(true);
  });
});

describe.skipIf(!haveExamples)('why the KubeCon London object is rewritten', () => {
  it('the v0.7.0 PublishedResource CRD rejects the demo as written: related[].object is required there', () => {
    const [demo] = upstreamObjects(cases[1]!);
    expect((upstreamCatalog().validate(demo!) ?? []).join('\n')).toMatch(/related\/0.*object/);
  });
});
