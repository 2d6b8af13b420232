import type { KubeObject } from '../model/mesh.js';
import { standardLabels } from './manifest.js';

export const restrictedPod = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
export const restrictedContainer = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
const defaultResources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } };

/** Volume + mount for a kubeconfig Secret that is referenced, never written. */
export function kubeconfigVolume(volume: string, secretName: string, mountPath: string) {
  return {
    volume: { name: volume, secret: { secretName, items: [{ key: 'kubeconfig', path: 'kubeconfig' }] } },
    mount: { name: volume, mountPath, readOnly: true },
  };
}

export interface DeploymentSpec {
  readonly meshName: string;
  readonly name: string;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly replicas: number;
  readonly serviceAccount: string;
  /** The one container; name, image, args and the like. Resources and a restricted security context are added. */
  readonly container: Record<string, unknown>;
  readonly volumes?: readonly object[];
}

/** Every Deployment p2c writes: one container, restricted pod security, requests and a memory limit. */
export function deployment(d: DeploymentSpec): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name, namespace: d.namespace, labels: standardLabels(d.meshName, d.selector) },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: d.selector },
      template: {
        metadata: { labels: d.selector },
        spec: {
          serviceAccountName: d.serviceAccount,
          securityContext: restrictedPod,
          containers: [{ resources: defaultResources, securityContext: restrictedContainer, ...d.container }],
          ...(d.volumes?.length ? { volumes: [...d.volumes] } : {}),
        },
      },
    },
  };
}
