import { ApiObject, Mesh, Team, type CustomResourceDefinition, type ProvidedAPI } from '../src/index.js';

function crd(group: string, kind: string): CustomResourceDefinition {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group, scope: 'Namespaced', names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{
        name: 'v1alpha1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: {
          spec: { type: 'object', required: ['size'], properties: { size: { type: 'string', pattern: '^[0-9]+Gi$' }, secretName: { type: 'string' }, replicas: { type: 'integer', minimum: 1 } } },
          status: { type: 'object', properties: { phase: { type: 'string' }, endpoint: { type: 'string' } } },
        } } },
      }],
    },
  };
}

/**
 * T teams, each: a workspace, a compute cluster, two APIs published with api-syncagent (with a
 * related Secret), three bindings of other teams' APIs with an instance of each (checked against the
 * provider's CRD), one KRO graph, and the GitOps apps. `instances: false` leaves the instances out;
 * `oneMoreBinding` gives the first team a fourth binding (one team's change).
 */
export function syntheticMesh(teams: number, options: { instances?: boolean; oneMoreBinding?: boolean } = {}): Mesh {
  if (teams < 4) throw new Error('the synthetic mesh needs at least 4 teams (each binds three others)');
  const mesh = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { engines: ['argocd', 'flux'], repoURL: 'https://git.example.com/platform/mesh.git' } });
  const name = (i: number) => `team-${String(i).padStart(5, '0')}`;
  const all: Team[] = [];
  const apis: Array<[ProvidedAPI, ProvidedAPI]> = [];
  for (let i = 0; i < teams; i++) {
    const t = new Team(mesh, name(i));
    const cluster = t.addCluster('cluster', { name: name(i), server: `https://${name(i)}.clusters.example.com`, kubeconfigSecret: `${name(i)}-kubeconfig` });
    const related = [{ identifier: 'credentials', origin: 'service' as const, reference: 'spec.secretName' }];
    const group = `${name(i)}.example.com`;
    apis.push([
      t.provide('database', { cluster, crd: crd(group, 'Database'), exportName: `databases.${group}`, related }),
      t.provide('queue', { cluster, crd: crd(group, 'Queue'), exportName: `queues.${group}`, related }),
    ]);
    cluster.addResourceGraph('app', {
      schema: { apiVersion: 'v1alpha1', kind: 'App', group, spec: { name: 'string | required=true', size: 'string | default=1Gi' }, status: { endpoint: '${db.status.endpoint}' } },
      resources: [
        { id: 'db', template: { apiVersion: `${group}/v1alpha1`, kind: 'Database', metadata: { name: '${schema.spec.name}' }, spec: { size: '${schema.spec.size}', secretName: '${schema.spec.name}-db' } }, readyWhen: ["${db.status.phase == 'Ready'}"] },
        { id: 'config', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${schema.spec.name}-config' }, data: { endpoint: '${db.status.endpoint}' } } },
      ],
    });
    all.push(t);
  }
  const claims = ['events', 'namespaces', 'secrets'];
  for (let i = 0; i < teams; i++) {
    const bound: Array<[string, number, 'Database' | 'Queue']> = [['a', (i + 1) % teams, 'Database'], ['b', (i + 2) % teams, 'Queue'], ['c', (i + 3) % teams, 'Database']];
    if (i === 0 && options.oneMoreBinding) bound.push(['d', 3, 'Queue']);
    for (const [id, j, kind] of bound) {
      all[i]!.bind(id, { api: apis[j]![kind === 'Database' ? 0 : 1], acceptClaims: claims });
      if (options.instances === false) continue;
      new ApiObject(all[i]!.workspace!, `instance-${id}`, {
        apiVersion: `${name(j)}.example.com/v1alpha1`, kind,
        metadata: { name: `${id}-${kind.toLowerCase()}`, namespace: 'default' },
        spec: { size: '1Gi', secretName: `${id}-conn`, replicas: 1 },
      });
    }
  }
  return mesh;
}
