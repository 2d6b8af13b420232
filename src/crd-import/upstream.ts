/**
 * Where each API group's CRDs come from upstream. Recorded in schemas/index.json so a
 * reviewer sees which release the validation follows.
 */
export const upstreamByGroup: Readonly<Record<string, string>> = {
  'apis.kcp.io': 'kcp-dev/kcp@dac74f5955f1 (v0.32.0-162)',
  'tenancy.kcp.io': 'kcp-dev/kcp@dac74f5955f1 (v0.32.0-162)',
  'core.kcp.io': 'kcp-dev/kcp@dac74f5955f1 (v0.32.0-162)',
  'syncagent.kcp.io': 'kcp-dev/api-syncagent@51995bd3d071 (v0.7.0-3)',
  'kube-bind.io': 'kube-bind/kube-bind@6ac88b0f68dc (cli/v0.8.0-54)',
  'kro.run': 'kubernetes-sigs/kro@0302e659ede7 (v0.9.3-54)',
  'internal.kro.run': 'kubernetes-sigs/kro@0302e659ede7 (v0.9.3-54)',
  'argoproj.io': 'argoproj/argo-cd@37ee0097cf85 (v3.6.0 dev, after v3.5.1)',
  'kustomize.toolkit.fluxcd.io': 'fluxcd/kustomize-controller@186fb3b29138 (v1.9.0-36)',
  'source.toolkit.fluxcd.io': 'fluxcd/source-controller@39b711b111fa (v1.9.0-13)',
  'core.platform-mesh.io': 'platform-mesh/account-operator@bf7f629782f6',
};
