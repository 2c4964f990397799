// The Pod Security admission plugin: the namespace's enforce, warn and audit labels judged with the
// Pod Security checker. Pods are rejected at the enforce level; a workload's pod template only ever
// draws warnings (the API server never rejects a Deployment for its template, its pods are rejected later).
import { AdmissionAttributes } from './attributes';
import { AdmissionDecision, DecisionSink } from './decisions';
import { readPodSecurityLabels } from '../../model/cluster-model';
import { KubeObject } from '../../model/manifests';
import { podTemplateOf } from '../../model/pod-template';
import { PodSecurityMode, workloadKindOf } from '../../model/vocabulary';
import { isRecord } from '../../private/json';
import { checkPodTemplate, judgedPodSecurityVersion, parsePodSecurityVersion } from '../pod-security';

export const POD_SECURITY_POLICY = 'PodSecurity';

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/**
 * Adds the Pod Security decisions for a request. DELETE is exempt, as are objects outside a
 * namespace, objects without a pod template, and Pod updates that change nothing the checks read
 * (the plugin only re-checks an update that changes an image or a seccomp annotation). With the
 * server's `kubernetesMinor`, each label is judged at its version capped at it, as that server does.
 */
export function admitPodSecurity(
  attributes: AdmissionAttributes, sink: DecisionSink, warn: (message: string) => void, kubernetesMinor?: number,
): void {
  const object = attributes.object;
  if (attributes.operation === 'DELETE' || object === null || attributes.namespaceLabels === undefined || attributes.objectNamespace === null) return;
  const workload = workloadKindOf(object.apiVersion, object.kind);
  if (!workload) return;
  const isPod = workload.kind === 'Pod';
  if (isPod && attributes.operation === 'UPDATE' && attributes.oldObject && !significantPodUpdate(object, attributes.oldObject)) return;
  const template = podTemplateOf(object);
  if (!template) return;

  const labels = attributes.namespaceLabels;
  const seen = new Set<string>();
  const judge = (mode: PodSecurityMode): string | undefined => {
    const read = readPodSecurityLabels(labels, mode);
    if (!read || read.level === 'privileged') return undefined;
    const policyText = `${read.level}:${read.version}`;
    let version = read.version;
    try {
      parsePodSecurityVersion(version);
    } catch {
      // A cluster judges a version newer than itself at its latest; so does this simulation.
      if (kubernetesMinor === undefined) {
        warn(`namespace ${attributes.objectNamespace}: Pod Security ${mode} version ${version} is newer than modelled; checking latest`);
      }
      version = 'latest';
    }
    const result = checkPodTemplate(template, read.level, judgedPodSecurityVersion(version, kubernetesMinor));
    if (result.allowed) return undefined;
    return `PodSecurity "${policyText}": ${result.violations.map(v => v.message).join('; ')}`;
  };
  const add = (into: AdmissionDecision[], message: string, reason?: string): void => {
    into.push({ policy: POD_SECURITY_POLICY, ...(reason ? { reason } : {}), message });
  };

  const enforced = judge('enforce');
  if (enforced !== undefined) {
    if (isPod) add(sink.denials, `violates ${enforced}`, 'Forbidden');
    else add(sink.warnings, `would violate ${enforced}`);
    seen.add(enforced);
  }
  const warned = judge('warn');
  // The same level and version as enforce says nothing new.
  if (warned !== undefined && !seen.has(warned)) add(sink.warnings, `would violate ${warned}`);
  const audited = judge('audit');
  if (audited !== undefined) add(sink.audits, `would violate ${audited}`);
}

/** Whether a Pod update changes what Pod Security reads: an image, the containers, or a seccomp annotation. */
function significantPodUpdate(pod: KubeObject, oldPod: KubeObject): boolean {
  const annotations = stringMap(pod.metadata?.annotations);
  const oldAnnotations = stringMap(oldPod.metadata?.annotations);
  if (annotations[SECCOMP_POD_ANNOTATION] !== oldAnnotations[SECCOMP_POD_ANNOTATION]) return true;
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const oldSpec = isRecord(oldPod.spec) ? oldPod.spec : {};
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const containers = records(spec[field]);
    const oldContainers = records(oldSpec[field]);
    if (containers.length !== oldContainers.length) return true;
    for (let i = 0; i < containers.length; i++) {
      if (containers[i].image !== oldContainers[i].image) return true;
      const key = `${SECCOMP_CONTAINER_ANNOTATION_PREFIX}${String(containers[i].name)}`;
      if (annotations[key] !== oldAnnotations[key]) return true;
    }
  }
  return false;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(v => (isRecord(v) ? v : {})) : [];
}

function stringMap(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
