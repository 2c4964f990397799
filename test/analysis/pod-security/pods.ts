/** Test helpers: small, valid manifests to tweak. */

export type Manifest = Record<string, any>;

const IMAGE = 'registry.k8s.io/pause';

function hardenedContainer(name: string): Manifest {
  return {
    name,
    image: IMAGE,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
}

/** A Pod that satisfies restricted (and so baseline) at every policy version. */
export function restrictedPod(): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'demo' },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [hardenedContainer('init')],
      containers: [hardenedContainer('app')],
    },
  };
}

/** A copy of `manifest` changed by `change`. */
export function tweak(manifest: Manifest, change: (copy: Manifest) => void): Manifest {
  const copy = structuredClone(manifest);
  change(copy);
  return copy;
}

/** Wraps a Pod's metadata and spec into a workload of the given kind. */
export function asWorkload(pod: Manifest, kind: string): Manifest {
  const template = { metadata: pod.metadata, spec: pod.spec };
  switch (kind) {
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata: { name: 'demo' }, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } };
    case 'PodTemplate':
      return { apiVersion: 'v1', kind, metadata: { name: 'demo' }, template };
    default:
      return { apiVersion: 'apps/v1', kind, metadata: { name: 'demo' }, spec: { selector: {}, template } };
  }
}

/** Where `asWorkload(pod, kind)` keeps the pod template, as a path prefix. */
export function templatePrefix(kind: string): string {
  switch (kind) {
    case 'Pod':
      return '';
    case 'CronJob':
      return 'spec.jobTemplate.spec.template.';
    case 'PodTemplate':
      return 'template.';
    default:
      return 'spec.template.';
  }
}
