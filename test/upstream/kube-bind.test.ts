/**
 * kube-bind's behaviour at kube-bind/kube-bind v0.8.1, as rules p2c's output must satisfy.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/mesh.js';
import { consumerNamespace } from '../../src/emit/kube-bind.js';
import { installableCrds } from '../../src/crd-import/installable.js';
import { compileExample, exampleNames } from '../support/examples.js';

/** The examples that run kube-bind (platform-mesh binds the platform's kube-bind.io only through kcp). */
const kubeBindExamples = exampleNames.filter((n) => n !== 'platform-mesh');

const objectsIn = (c: Awaited<ReturnType<typeof compileExample>>, folder: string): KubeObject[] => (c.layout.folders.get(folder) ?? []).map((p) => p.object);
type Rule = { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] };

describe('kube-bind v0.8.1', () => {
  it('images are the ones the v0.8.1 release publishes (.github/workflows/image.yaml: ghcr.io/kube-bind/*)', async () => {
    for (const name of kubeBindExamples) {
      const images = (await compileExample(name)).manifests.map((m) => m.object).filter((o) => o.kind === 'Deployment')
        .flatMap((d) => (d['spec'] as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers.map((c) => c.image))
        .filter((i) => /backend|konnector/.test(i));
      expect(images.length).toBeGreaterThan(0);
      for (const i of images) expect(i).toMatch(/^ghcr\.io\/kube-bind\/(backend|konnector):v0\.8\.1$/);
    }
  });

  it('every CRD a cluster-mode backend offers carries kube-bind.io/exported=true (serviceexportrequest_reconcile.go getExportedSchemas)', async () => {
    const c = await compileExample('kube-to-kube');
    const provider = objectsIn(c, 'clusters/provider');
    const template = provider.find((o) => o.kind === 'APIServiceExportTemplate')!;
    const offered = (template['spec'] as { resources: Array<{ group: string; resource: string }> }).resources;
    expect(offered.length).toBeGreaterThan(0);
    for (const r of offered) {
      const crd = provider.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === `${r.resource}.${r.group}`);
      expect(crd?.metadata.labels?.['kube-bind.io/exported'], `${r.resource}.${r.group}`).toBe('true');
    }
  });

  it('a cluster-mode backend gets the chart\'s eleven CRDs (deploy/charts/backend/crds), derived by the importer', async () => {
    const crds = objectsIn(await compileExample('kube-to-kube'), 'clusters/provider').filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
    for (const name of installableCrds.kubeBindBackend) expect(crds).toContain(name);
  });

  it('the konnector may update the two CRDs it bootstraps at start (pkg/konnector/server.go, deploy/crd/bootstrap.go)', async () => {
    for (const name of exampleNames) {
      const c = await compileExample(name);
      for (const [folder, placed] of c.layout.folders) {
        const role = placed.find((p) => p.object.kind === 'ClusterRole' && p.object.metadata.name === 'p2c:kube-bind-konnector')?.object;
        if (!role) continue;
        const rules = role['rules'] as Rule[];
        const may = (verb: string, crd: string) => rules.some((r) => r.apiGroups.includes('apiextensions.k8s.io') && r.resources.includes('customresourcedefinitions') && r.verbs.includes(verb) && (!r.resourceNames || r.resourceNames.includes(crd)));
        for (const crd of ['apiservicebindings.kube-bind.io', 'apiservicebindingbundles.kube-bind.io']) {
          for (const verb of ['get', 'create', 'update']) expect(may(verb, crd), `${folder}: ${verb} ${crd}`).toBe(true);
        }
      }
    }
  });

  it('kcp mode: no template of p2c\'s own; the catalog names the template the backend generates for the binding', async () => {
    // backend/provider/kcp/controllers/apibindingtemplate/reconcile.go: `<binding>-cluster` / `<binding>-namespaced`
    // by the schema's scope (Postgres is namespaced); the live suite saw `-cluster` fail TemplateNotFound.
    const ws = objectsIn(await compileExample('idp'), 'kcp/root/team/observability');
    expect(ws.filter((o) => o.kind === 'APIServiceExportTemplate')).toEqual([]);
    const req = ws.find((o) => o.kind === 'BindableResourcesRequest')!;
    expect((req['spec'] as { templateRef?: unknown }).templateRef).toBeUndefined();
    expect((ws.find((o) => o.kind === 'Collection')!['spec'] as { templates: unknown }).templates).toEqual([{ name: 'database.example.com-namespaced' }]);
  });

  it('the consumer namespace is computed as the backend does (sha224, base36, namespace.go)', () => {
    expect(consumerNamespace('consumer')).toBe('kube-bind-1hpeqzvtab6zz');
    expect(consumerNamespace('observability')).toBe('kube-bind-2v427h2nxlkx3');
  });

  it('the declarative flow is complete: each binding has its export request, named like it, in the consumer\'s namespace', async () => {
    for (const name of kubeBindExamples) {
      const c = await compileExample(name);
      const bindings = c.manifests.map((m) => m.object).filter((o) => o.kind === 'APIServiceBinding');
      expect(bindings.length).toBeGreaterThan(0);
      const requests = c.prerequisites.flatMap((p) => p.file?.objects ?? []).filter((o) => o.kind === 'APIServiceExportRequest');
      const bras = c.manifests.map((m) => m.object).filter((o) => o.kind === 'BindableResourcesRequest');
      for (const b of bindings) {
        // The konnector connects a binding to the APIServiceExport of its own name (getServiceExport(binding.Name)).
        const req = requests.find((r) => r.metadata.name === b.metadata.name);
        expect(req, `${name}: request for ${b.metadata.name}`).toBeDefined();
        const bra = bras.find((r) => (r['spec'] as { clusterIdentity: { identity: string } }).clusterIdentity.identity === req!.metadata.namespace!.replace(/^kube-bind-/, '') || consumerNamespace((r['spec'] as { clusterIdentity: { identity: string } }).clusterIdentity.identity) === req!.metadata.namespace);
        expect(bra, `${name}: admission of the cluster owning ${req!.metadata.namespace}`).toBeDefined();
      }
      // One-shot: the backend deletes requests after ten minutes; GitOps must never own one.
      expect(c.manifests.filter((m) => m.object.kind === 'APIServiceExportRequest')).toEqual([]);
      for (const r of requests) expect([...c.files.keys()].some((f) => f.startsWith('prerequisites/') && c.files.get(f)!.includes(`name: ${r.metadata.name}`))).toBe(true);
    }
  });

  it('no folder holds an APIServiceBinding beside the konnector that creates its CRD', async () => {
    for (const name of exampleNames) {
      const c = await compileExample(name);
      for (const [folder, placed] of c.layout.folders) {
        const hasKonnector = placed.some((p) => p.object.kind === 'Deployment' && p.object.metadata.name === 'konnector');
        const hasBinding = placed.some((p) => p.object.kind === 'APIServiceBinding' || p.object.kind === 'APIServiceBindingBundle');
        expect(hasKonnector && hasBinding, folder).toBe(false);
      }
    }
  });
});
