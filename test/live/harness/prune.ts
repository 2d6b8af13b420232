/**
 * What Argo CD deletes when a new revision of the output is synced with pruning on, decided on the live objects as
 * Argo CD v3.5.1 decides it:
 * - an object an Application still renders no longer: pruned unless its live sync-options hold `Prune=false`
 *   (gitops-engine pkg/sync/sync_context.go, isPruningDisabled);
 * - an Application the root app no longer renders: the root app prunes it, and its resources-finalizer deletes its
 *   resources except CRDs and those with `Delete=false` or helm's `resource-policy: keep`
 *   (controller/appcontroller.go, finalizeApplicationDeletion → shouldBeDeleted).
 * The deletions are real: kcp and the API servers then delete what each object holds.
 */
import { applyFolder, getObject, kubectl, resourceOf, type App, type KubeObject } from './apply.ts';

/** The objects each Application applied, as Argo CD tracks them (by app name). */
export type Inventory = Map<string, { app: App; objects: KubeObject[] }>;

export interface PruneResult { deleted: string[]; kept: string[] }

const key = (o: KubeObject) => `${resourceOf(o)} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function syncOptions(o: KubeObject): string[] {
  return (o.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').map((s) => s.trim());
}

/** Applies `apps` in wave order into `inventory`, then prunes what the previous inventory held and they do not. */
export async function syncWithPrune(apps: App[], previous: Inventory, kubeconfigFor: (app: App) => string,
  scripts: Map<string, string>, explain?: () => string): Promise<{ inventory: Inventory } & PruneResult> {
  const inventory: Inventory = new Map();
  for (const app of apps) {
    inventory.set(app.name, { app, objects: await applyFolder(app.folder, kubeconfigFor(app), scripts, explain ? { explain } : {}) });
  }
  const result: PruneResult = { deleted: [], kept: [] };
  // Argo CD prunes the highest wave first; within an app, the reverse of the order it applied.
  const gone = [...previous.values()].sort((a, b) => b.app.wave - a.app.wave);
  for (const { app, objects } of gone) {
    const now = inventory.get(app.name);
    const rendered = new Set((now?.objects ?? []).map(key));
    const kubeconfig = kubeconfigFor(app);
    for (const o of [...objects].reverse().filter((x) => !rendered.has(key(x)))) {
      const live = getObject(kubeconfig, o);
      if (!live) continue;
      const options = syncOptions(live);
      const keep = now
        ? options.includes('Prune=false')
        : o.kind === 'CustomResourceDefinition' || options.includes('Delete=false')
          || live.metadata.annotations?.['helm.sh/resource-policy'] === 'keep';
      const where = `${key(o)} (${app.name})`;
      if (keep) result.kept.push(where);
      else {
        const args = ['delete', resourceOf(o), o.metadata.name, '--wait=false', '--ignore-not-found'];
        if (o.metadata.namespace) args.push('-n', o.metadata.namespace);
        kubectl(kubeconfig, args);
        result.deleted.push(where);
      }
    }
  }
  return { inventory, ...result };
}
