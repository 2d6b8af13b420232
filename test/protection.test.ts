import { describe, expect, it } from 'vitest';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { compile } from '../src/index.js';
import { protect } from '../src/emit/protection.js';
import { compileExample, exampleNames } from './support/examples.js';
import { postgresCrd, smallMesh } from './support/mesh.js';
import * as fs from 'node:fs';
import { parse } from 'yaml';

const dataKinds = ['CustomResourceDefinition', 'Namespace', 'Workspace', 'APIBinding', 'APIExport', 'APIServiceBinding', 'APIServiceBindingBundle'];
const kept = (o: { metadata: { annotations?: Record<string, string> } }) =>
  (o.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').includes('Prune=false')
  && (o.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').includes('Delete=false')
  && o.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'] === 'disabled';

describe('objects that hold data are kept by both engines when they leave the output', () => {
  it('every Workspace, APIBinding, APIExport, CRD, Namespace and kube-bind binding in the examples', async () => {
    for (const name of exampleNames) {
      const objects = (await compileExample(name)).manifests.map((m) => m.object);
      const data = objects.filter((o) => dataKinds.includes(o.kind));
      expect(new Set(data.map((o) => o.kind)).size, name).toBeGreaterThan(2);
      for (const o of data) expect(kept(o), `${name}: ${o.kind} ${o.metadata.name}`).toBe(true);
      // And nothing else: a Deployment or Role is replaced by the next sync, never orphaned.
      for (const o of objects.filter((x) => !dataKinds.includes(x.kind))) expect(o.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'], `${o.kind} ${o.metadata.name}`).toBeUndefined();
    }
  });

  it('the user\'s own CRDs and Namespaces too, however they were written', () => {
    const { mesh, cluster } = smallMesh();
    new kplus.Namespace(cluster, 'ns', { metadata: { name: 'payments' } });
    const crd = parse(fs.readFileSync(postgresCrd, 'utf8')) as { spec: object };
    new ApiObject(cluster, 'crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { ...crd.spec, group: 'example.com', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' } } });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const objs = c.layout.folders.get('clusters/database')!.map((p) => p.object);
    expect(kept(objs.find((o) => o.kind === 'Namespace' && o.metadata.name === 'payments')!)).toBe(true);
    expect(kept(objs.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === 'widgets.example.com')!)).toBe(true);
  });

  it('keeps sync options an object already had', () => {
    const [m] = protect([{ target: { type: 'cluster', name: 'a' }, origin: { path: 'x' }, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } } } }]);
    expect(m!.object.metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true,Prune=false,Delete=false');
  });
});
