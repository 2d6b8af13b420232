/** p2c: the user API (constructs) and the programmatic compiler. */
export { Mesh, type MeshProps, type KcpSettings, type GitOpsSettings, type GitOpsEngine, type ExtraMetadata } from '../constructs/mesh.js';
export { Team, type TeamProps, type Subject } from '../constructs/team.js';
export { Workspace, type WorkspaceProps, type WorkspaceTypeReference } from '../constructs/workspace.js';
export { WorkspaceType, type WorkspaceTypeProps, type DefaultAPIBinding } from '../constructs/workspace-type.js';
export { Organization, type OrganizationProps } from '../constructs/organization.js';
export { ComputeCluster, type ComputeClusterProps } from '../constructs/compute-cluster.js';
export { ServedAPI, type ServedAPIProps, type MarketplaceListing } from '../constructs/served-api.js';
export { ProvidedAPI, type ProvidedAPIProps, type RelatedResource, type KcpSubject } from '../constructs/provided-api.js';
export { Binding, type BindingProps, type ExportReference } from '../constructs/binding.js';
export { ExternalExport, type ExternalExportProps, type ExternalClaim } from '../constructs/external-export.js';
export { Operator, type OperatorProps, type OperatorClaim, type OperatorRule } from '../constructs/operator.js';
export { KubeBindBackend, KubeBindOffer, KubeBindBinding, type KubeBindBackendProps, type KubeBindOfferProps, type KubeBindBindingProps, type KubeBindClaim, type KubeBindOidc } from '../constructs/kube-bind.js';
export { recordObjectCallSite } from '../constructs/declared.js';
export { generateTypes } from './typegen/generate.js';
export { InstalledAPI, type InstalledAPIProps } from '../constructs/installed-api.js';
export { ResourceGraph, type ResourceGraphProps, type GraphResource } from '../constructs/resource-graph.js';
export type { CrdSource, CustomResourceDefinition } from '../constructs/crd-source.js';
export { compile, compileModel, synth, type Compilation, type SynthOptions, type SynthResult } from './pipeline.js';
export { MeshError, formatDiagnostic, type Diagnostic } from './diagnostics/diagnostic.js';
export { allChecks } from './diagnostics/codes.js';
// What generated classes and mesh programs need from cdk8s, so a project depends on p2c alone.
export { ApiObject, type ApiObjectMetadata } from 'cdk8s';
export type { Construct } from 'constructs';
