import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { compile, InstalledAPI, Mesh, Team, type GraphResource } from '../../src/index.js';
import { delivered } from './mesh.js';

/**
 * Every ResourceGraphDefinition in a kro checkout's examples/ (kubernetes-sigs/kro at the pinned v0.9.3), put
 * through p2c's graph checks on a cluster that declares the kinds each graph uses: what P2C016 says of kro's
 * own expressions. Read from a local checkout named by the caller; nothing of kro's is kept in this project.
 */
export function scanKroExamples(root: string): { graphs: number; findings: string[] } {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]);
  const findings: string[] = [];
  let graphs = 0;
  // examples/graph holds KREP-024 drafts (`${${…}}`, plural()) that kro v0.9.3 does not run.
  for (const file of files(path.join(root, 'examples')).filter((f) => /\.ya?ml$/.test(f) && !f.includes(`${path.sep}graph${path.sep}`))) {
    let docs: unknown[];
    try {
      docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS({ mapAsMap: false }) as unknown);
    } catch {
      continue;
    }
    for (const d of docs as Array<{ kind?: string; spec?: { schema: GraphSchema; resources: GraphResource[] } }>) {
      if (d?.kind !== 'ResourceGraphDefinition' || !d.spec) continue;
      graphs++;
      const mesh = new Mesh(delivered());
      const cluster = new Team(mesh, 't', { workspace: false }).addCluster('c', { name: 'c', inCluster: true });
      const kinds = new Map<string, Set<string>>();
      for (const r of d.spec.resources) {
        const o = (r.template ?? r.externalRef) as { apiVersion?: string; kind?: string } | undefined;
        if (o?.apiVersion?.includes('/') && o.kind) (kinds.get(o.apiVersion) ?? kinds.set(o.apiVersion, new Set()).get(o.apiVersion)!).add(o.kind);
      }
      for (const [apiVersion, ks] of kinds) {
        const [group, version] = apiVersion.split('/') as [string, string];
        if (group.includes('.') && !group.endsWith('.k8s.io')) new InstalledAPI(cluster, `${group}-${version}`, { group, kinds: [...ks], versions: [version] });
      }
      cluster.addResourceGraph('g', { schema: d.spec.schema, resources: d.spec.resources });
      const rel = path.relative(root, file);
      for (const x of compile(mesh).diagnostics) if (x.code === 'P2C016') findings.push(`${rel}: ${x.message}`);
    }
  }
  return { graphs, findings };
}

type GraphSchema = { apiVersion: string; kind: string; group?: string; spec?: Record<string, unknown>; status?: Record<string, unknown>; types?: Record<string, unknown> };
