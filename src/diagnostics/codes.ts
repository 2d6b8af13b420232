import { compareText } from '../model/collections.js';
/**
 * The catalogue of p2c's checks. Codes are stable: users grep for them, CI jobs may
 * allow-list them, and the README table is generated from this list.
 */
export interface CheckDefinition {
  readonly code: string;
  readonly name: string;
  /** One sentence: what the rule protects against. */
  readonly summary: string;
}

const definitions = {
  invalidName: { code: 'P2C001', name: 'invalid-name', summary: 'A name is not valid for Kubernetes or kcp (DNS-1123 label or subdomain, workspace path segment, length).' },
  duplicateName: { code: 'P2C002', name: 'duplicate-name', summary: 'Two constructs claim the same team, workspace, cluster, export, binding or object.' },
  unknownExport: { code: 'P2C003', name: 'unknown-export', summary: 'A binding names an API that no team in the mesh provides.' },
  unacceptedClaim: { code: 'P2C004', name: 'unaccepted-claim', summary: 'A consumer neither accepts nor rejects a permission claim the export makes.' },
  unknownClaim: { code: 'P2C005', name: 'unknown-claim', summary: 'A consumer accepts or rejects a claim the export does not make.' },
  missingIdentityHash: { code: 'P2C006', name: 'missing-identity-hash', summary: 'A claim on a resource that another APIExport provides has no identityHash; kcp would fail silently.' },
  invalidCrd: { code: 'P2C007', name: 'invalid-crd', summary: 'A service CRD cannot be read or is not an apiextensions.k8s.io/v1 CustomResourceDefinition.' },
  noWorkspace: { code: 'P2C008', name: 'no-workspace', summary: 'A team without a kcp workspace provides or binds an API through kcp.' },
  foreignCluster: { code: 'P2C009', name: 'foreign-cluster', summary: 'A team publishes from a compute cluster it does not own.' },
  claimWithoutBinding: { code: 'P2C010', name: 'claim-without-binding', summary: 'A consumer accepts a claim on another export\'s resource without binding that export, so the claim reaches nothing.' },
  invalidObject: { code: 'P2C011', name: 'invalid-object', summary: 'An emitted object does not satisfy the schema or CEL rules of its kind.' },
  secretData: { code: 'P2C012', name: 'secret-data', summary: 'A Secret with data or stringData would be written to Git; reference an existing Secret instead.' },
  outputCollision: { code: 'P2C013', name: 'output-collision', summary: 'Two objects would be written to the same file.' },
  cycle: { code: 'P2C014', name: 'dependency-cycle', summary: 'Ordering constraints form a cycle, so the mesh could never be applied.' },
  unknownKind: { code: 'P2C015', name: 'unknown-kind', summary: 'An object, KRO graph or operator uses a kind (or version) that is not available where it lands: not installed, bound or declared there.' },
  unknownReference: { code: 'P2C016', name: 'unknown-reference', summary: 'A KRO resource template references an id that does not exist in its graph.' },
  invalidInput: { code: 'P2C017', name: 'invalid-input', summary: 'A construct property has a value p2c cannot use.' },
  noOwner: { code: 'P2C018', name: 'no-owner', summary: 'A cluster or workspace is declared outside any team.' },
  entryFailed: { code: 'P2C019', name: 'entry-failed', summary: 'The mesh program could not be loaded or threw an error.' },
  noMesh: { code: 'P2C020', name: 'no-mesh', summary: 'The mesh program ran but declared no Mesh (or more than one).' },
  kubeBind: { code: 'P2C022', name: 'kube-bind', summary: 'A kube-bind backend, offer or binding is wired wrongly (unknown binding, kcp mode without workspace, foreign cluster).' },
  wildcardRbac: { code: 'P2C023', name: 'wildcard-rbac', summary: 'A Role or ClusterRole grants "*" verbs, resources or API groups.' },
  clusterDestination: { code: 'P2C024', name: 'cluster-destination', summary: 'A cluster has no GitOps destination, or shares one with another cluster, so two apps would own the same objects.' },
  immutableField: { code: 'P2C025', name: 'immutable-field', summary: 'An object in the output changes a field the API server will not let change (APIBinding reference, Workspace type, RoleBinding roleRef, …), so every later sync would fail.' },
  rbacEscalation: { code: 'P2C026', name: 'rbac-escalation', summary: 'RBAC that lets its holder escalate: escalate, bind or impersonate without resourceNames, exec/attach/proxy subresources, every non-resource URL, cluster-wide Secret reads, aggregationRule, cluster-admin or system:masters.' },
  publicAccess: { code: 'P2C027', name: 'public-access', summary: 'A binding grants a role to everyone (system:authenticated, system:unauthenticated, system:serviceaccounts, system:anonymous) without the export being declared public.' },
  privateKey: { code: 'P2C028', name: 'private-key', summary: 'An object carries a PEM private key; p2c output goes to Git.' },
  kubeconfigCredential: { code: 'P2C029', name: 'kubeconfig-credential', summary: 'An object carries a kubeconfig with a token, client key or password.' },
  cloudAccessKey: { code: 'P2C030', name: 'cloud-access-key', summary: 'An object carries a cloud access key (AWS access key id, Azure storage account key, GCP service-account key).' },
  accessToken: { code: 'P2C031', name: 'access-token', summary: 'An object carries an access token (GitHub, GitLab, Slack, or a JWT such as a service-account token).' },
  brokenReference: { code: 'P2C032', name: 'broken-reference', summary: "A related resource's or kube-bind claim's reference names no string field of the provider's CRD, so no related object is ever found." },
  rejectedDependency: { code: 'P2C033', name: 'rejected-dependency', summary: 'Warning: a consumer rejects a claim that a related resource or the operator serving the API depends on, so that part will not work in its workspace.' },
  typeError: { code: 'P2C034', name: 'type-error', summary: 'The TypeScript compiler rejects the mesh program (a misspelt or missing prop, a wrong type); p2c checks types before it runs the program.' },
  invalidProps: { code: 'P2C035', name: 'invalid-props', summary: "A construct's props are wrong at run time: an unknown property (with the likely one), a missing required one, or a value of the wrong type." },
  gitopsTarget: { code: 'P2C036', name: 'gitops-target', summary: 'A GitOps engine is on but the mesh does not say where it applies from or to: no repoURL (and no origin remote), or workspaces without the kcp front-proxy URL. p2c never fills in a placeholder.' },
  breakingContract: { code: 'P2C037', name: 'breaking-contract', summary: "A provided API's CRD changes in a way its consumers' instances or clients may not survive (field removed, new required field, type changed, enum narrowed, version no longer served, …), compared with the previous output, and the provider did not mark it intended." },
  unsafeOutput: { code: 'P2C021', name: 'unsafe-output', summary: 'The output folder is not p2c\'s to write, or a path would leave it.' },
} as const satisfies Record<string, CheckDefinition>;

export type CheckId = keyof typeof definitions;
export const checks: Readonly<Record<CheckId, CheckDefinition>> = definitions;
export const allChecks: readonly CheckDefinition[] = Object.values(definitions).sort((a, b) => compareText(a.code, b.code));
