import { describe, expect, it } from 'vitest';
import { healthChecks } from '../src/emit/argocd-health.js';
import { runHealth } from './support/lua.js';

const check = (kind: string) => healthChecks.find((h) => h.kind === kind)!.lua;
const cond = (type: string, status: string, reason = '', message = '') => ({ type, status, reason, message });

// Status objects as the upstream controllers write them (kcp v0.32.3, kube-bind v0.8.1, Argo CD v3.5.1).
const samples: Record<string, Array<[string, unknown, string]>> = {
  Application: [
    ['healthy child', { status: { health: { status: 'Healthy' } } }, 'Healthy'],
    ['child still syncing', { status: { health: { status: 'Progressing', message: 'waiting' } } }, 'Progressing'],
    ['degraded child', { status: { health: { status: 'Degraded', message: 'crash loop' } } }, 'Degraded'],
    ['new child, no status yet', {}, 'Progressing'],
  ],
  Workspace: [
    ['ready', { status: { phase: 'Ready', conditions: [cond('WorkspaceScheduled', 'True'), cond('WorkspaceInitialized', 'True')] } }, 'Healthy'],
    ['initializing', { status: { phase: 'Initializing', conditions: [cond('WorkspaceScheduled', 'True'), cond('WorkspaceInitialized', 'False', 'InitializerExists', 'initializers remain')] } }, 'Progressing'],
    ['not yet scheduled', { status: {} }, 'Progressing'],
    ['unavailable', { status: { phase: 'Unavailable', conditions: [cond('WorkspaceScheduled', 'False', 'Unschedulable', 'no shard fits')] } }, 'Degraded'],
  ],
  APIBinding: [
    ['bound', { status: { phase: 'Bound', conditions: [cond('APIExportValid', 'True'), cond('InitialBindingCompleted', 'True'), cond('Ready', 'True')] } }, 'Healthy'],
    ['waiting for its export', { status: { phase: 'Binding', conditions: [cond('APIExportValid', 'False', 'APIExportNotFound', 'not found'), cond('Ready', 'False', 'WaitingForEstablished')] } }, 'Progressing'],
    ['establishing', { status: { phase: 'Binding', conditions: [cond('InitialBindingCompleted', 'False', 'WaitingForEstablished'), cond('Ready', 'False', 'WaitingForEstablished')] } }, 'Progressing'],
    ['naming conflict', { status: { phase: 'Binding', conditions: [cond('BindingUpToDate', 'False', 'NamingConflicts', 'postgreses conflicts'), cond('Ready', 'False', 'WaitingForEstablished')] } }, 'Degraded'],
    ['bad reference', { status: { conditions: [cond('APIExportValid', 'False', 'APIExportInvalidReference', 'bad path')] } }, 'Degraded'],
  ],
  APIExport: [
    ['identity assigned', { status: { identityHash: 'abc123', conditions: [cond('IdentityValid', 'True')] } }, 'Healthy'],
    ['new', { status: {} }, 'Progressing'],
    ['identity failed', { status: { conditions: [cond('IdentityValid', 'False', 'IdentityVerificationFailed', 'secret mismatch')] } }, 'Degraded'],
  ],
  Account: [
    ['ready', { status: { conditions: [cond('Ready', 'True')], observedGeneration: 1 } }, 'Healthy'],
    ['workspace not ready yet', { status: { conditions: [cond('Ready', 'False', 'WorkspaceNotReady', 'workspace initializing')] } }, 'Progressing'],
    ['new', {}, 'Progressing'],
  ],
  APIServiceBinding: [
    ['connected', { status: { conditions: [cond('SecretValid', 'True'), cond('Connected', 'True'), cond('Ready', 'True')] } }, 'Healthy'],
    ['kubeconfig not copied yet', { status: { conditions: [cond('SecretValid', 'False', 'KubeconfigSecretNotFound', 'secret missing'), cond('Ready', 'False')] } }, 'Progressing'],
    ['foreign CRD', { status: { conditions: [cond('Connected', 'False', 'ForeignCustomResourceDefinition', 'owned by another'), cond('Ready', 'False')] } }, 'Degraded'],
  ],
};

describe('Argo CD health checks, run as Lua against status objects', () => {
  it('cover every kind p2c orders Applications by', () => {
    expect(healthChecks.map((h) => `${h.group}/${h.kind}`).sort()).toEqual(['apis.kcp.io/APIBinding', 'apis.kcp.io/APIExport', 'argoproj.io/Application', 'core.platform-mesh.io/Account', 'kube-bind.io/APIServiceBinding', 'tenancy.kcp.io/Workspace']);
    expect(Object.keys(samples).sort()).toEqual(healthChecks.map((h) => h.kind).sort());
  });

  for (const [kind, cases] of Object.entries(samples)) {
    it.each(cases)(`${kind}: %s`, (_, obj, status) => {
      const said = runHealth(check(kind), obj);
      expect(said.status).toBe(status);
      expect(said.message.length).toBeGreaterThan(0);
    });
  }

  it('a Degraded verdict carries the controller\'s own message', () => {
    expect(runHealth(check('APIBinding'), samples['APIBinding']![3]![1]).message).toBe('postgreses conflicts');
    expect(runHealth(check('Workspace'), samples['Workspace']![3]![1]).message).toBe('no shard fits');
  });
});
