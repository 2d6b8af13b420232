import { describe, expect, it } from 'vitest';
import { p2c } from './support/run.js';
import { compileExample } from './support/examples.js';
import { example } from './support/paths.js';

describe('MESH.md and p2c graph', () => {
  it('draws workspaces with exports and bindings, clusters with agents, konnectors, graphs and operators', async () => {
    const md = (await compileExample('idp')).files.get('MESH.md')!;
    expect(md).toContain('```mermaid\nflowchart LR');
    expect(md).toContain('subgraph ws_root_team_database[root:team:database]');
    expect(md).toContain('export_root_team_database_database_example_com["Postgres APIExport"]');
    expect(md).toContain('subgraph cluster_observability[cluster observability]');
    expect(md).toMatch(/crd_database_database_example_com -\.-> \|api-syncagent\| export_root_team_database_database_example_com/);
    expect(md).toMatch(/binding_root_team_observability_database_example_com -\.-> \|kube-bind\| bound_observability_database_example_com/);
    expect(md).toContain('kro_observability_loggingstacks_observability_example_com["KRO LoggingStack"]');
    expect(md).toContain('operator_webshop_webshop_operator["webshop-operator operator"]');
    expect(md).toContain('export_root_team_database_database_example_com -.-> binding_root_team_webshop_database_example_com');
  });

  it('has an inventory: who provides what, who may bind it, who binds it', async () => {
    const md = (await compileExample('idp')).files.get('MESH.md')!;
    expect(md).toContain('| `database.example.com` | `root:team:database` | api-syncagent in cluster `database` | `events`, `namespaces`, `secrets` | Group `team:observability`, Group `team:webshop` | `root:team:observability`, `root:team:webshop` |');
    expect(md).toContain('| 0 | `kcp/root` | - |');
  });

  it('p2c graph prints the same document synth writes', async () => {
    const r = p2c(['graph', example('idp')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe((await compileExample('idp')).files.get('MESH.md'));
  });
});
