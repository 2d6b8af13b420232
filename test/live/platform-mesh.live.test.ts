/**
 * Platform Mesh (examples/platform-mesh), as far as it can run here. Its kcp folders need Platform Mesh itself
 * (WorkspaceTypes root:org and root:account, the core/providers/ui.platform-mesh.io APIs, the account-operator
 * creating the org's workspaces), which comes with platform-mesh-operator: the module proxy does not serve it, and it
 * installs the rest from OCI Helm charts that cannot be reached (README, "Verified against the real control planes").
 * What needs none of it is proven: the compute clusters' folders, applied as Argo CD applies them to real
 * kube-apiservers, every object admitted and healthy by p2c's rules.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { repoRoot } from '../support/paths.ts';
import { applyFolder, argoApps, healthScripts, type App } from './harness/apply.ts';
import { synth } from './harness/scenario.ts';
import { startCluster, stopAll, type Server } from './harness/servers.ts';

const bins = inject('liveBinaries');
const root = join(repoRoot, 'scratch', 'live-platform-mesh');
const out = join(root, 'dist');

describe('Platform Mesh (examples/platform-mesh; Platform Mesh, account-operator and platform-mesh-operator not run)', () => {
  const clusters = new Map<string, Server>();
  let apps: App[];

  beforeAll(async () => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    synth(join(repoRoot, 'examples/platform-mesh/mesh.ts'), out);
    apps = argoApps(out).filter((a) => a.folder.startsWith(join(out, 'clusters')) && a.folder !== join(out, 'clusters/platform'));
    for (const app of apps) {
      const name = /^https:\/\/([^./]+)\./.exec(app.server)?.[1];
      if (name && !clusters.has(name)) clusters.set(name, await startCluster(name, bins, root));
    }
  }, 600_000);

  afterAll(async () => {
    await stopAll();
  }, 60_000);

  it('the compute clusters\' folders (not the platform cluster\'s ManagedProvider) apply to real kube-apiservers', async () => {
    expect(apps.map((a) => a.name)).toEqual(['clusters.database', 'clusters.observability']);
    const scripts = healthScripts(out);
    for (const app of apps) {
      const name = /^https:\/\/([^./]+)\./.exec(app.server)![1]!;
      const objects = await applyFolder(app.folder, clusters.get(name)!.adminKubeconfig, scripts);
      expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['CustomResourceDefinition', 'PublishedResource', 'Deployment']));
    }
  }, 600_000);
});
