import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { AdmissionSimulator, completeUserInfo } from '../analysis/admission';
import { formatPodSecurityVersion, judgedPodSecurityVersion, missingPodSecurityChecks } from '../analysis/pod-security';
import { ClusterModel } from '../model/cluster-model';
import { formatKubernetesVersion } from '../model/kubernetes-version';
import { KubeObject } from '../model/manifests';
import { PodSecurityLevel, podSecurityVersionLabel } from '../model/vocabulary';

/**
 * A namespace whose enforced level, at its pinned version, relies on a check that the declared
 * cluster is too old to run: the API server judges the label at its own version, so pods that only
 * that check rejects are admitted while the label promises otherwise. One finding per missing check.
 */
export const podSecurityClusterVersionRule: Rule = {
  id: RuleId.POD_SECURITY_CLUSTER_VERSION,
  severity: FindingSeverity.WARNING,
  summary: 'a namespace pins a Pod Security check that the cluster\'s Kubernetes version does not run',
  description: 'A namespace enforces a Pod Security level at a version whose checks include one that the declared cluster\'s Kubernetes version does not have (for example the probe and lifecycle host checks of v1.34 on a 1.33 cluster). The API server judges a label at its own version when the label is newer, so pods that only that check rejects are admitted although the labels name the newer version.',
  remedy: 'Upgrade the cluster to the version the finding names, or cover the check with an admission policy. Acknowledge pod-security-cluster-version on the Namespace for the check id while the cluster is older, with the reason.',
  securitySeverity: 4.0,
  acknowledgedOn: 'namespace',
  objectKinds: ['Namespace'],
  target: 'the Pod Security check id the cluster lacks (for example hostProbesAndHostLifecycle)',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    const simulators = new Map<number, AdmissionSimulator | undefined>();
    const admissionAt = (minor: number) => {
      if (!simulators.has(minor)) simulators.set(minor, admissionOf(model, minor));
      return simulators.get(minor);
    };
    for (const ns of model.namespaces) {
      const podSecurity = ns.podSecurity;
      if (ns.object === undefined || !podSecurity || podSecurity.level === PodSecurityLevel.PRIVILEGED) continue;
      for (const minor of model.network.kubernetesMinors) {
        const kubernetes = `Kubernetes ${formatKubernetesVersion(minor)}`;
        for (const missing of missingPodSecurityChecks(podSecurity.level, podSecurity.version, minor)) {
          const lacks = `namespace "${ns.name}" enforces Pod Security "${podSecurity.level}" at ${podSecurity.version}, but a ${kubernetes} API server `
            + `judges it at ${judgedPodSecurityVersion(podSecurity.version, minor)}, which lacks check ${missing.id} (from `
            + `${formatPodSecurityVersion(missing.since)})`;
          const guardrail = coveringPolicy(admissionAt(minor), ns.name, missing.id);
          hits.push({
            object: ns.object,
            namespace: ns.name,
            target: missing.id,
            message: guardrail
              ? `${lacks}; the guardrail ValidatingAdmissionPolicy ${guardrail} denies what it would, so pods still cannot pass it`
              : `${lacks}: pods that only it rejects are admitted`,
            fix: guardrail
              ? `nothing to do while ${guardrail} is installed; acknowledge pod-security-cluster-version for ${missing.id} with that reason`
              : `upgrade the cluster to Kubernetes ${formatKubernetesVersion(missing.since)} or later, or cover ${missing.id} with an admission policy `
                + '(ClusterGuardrails writes one for the probe and lifecycle hosts); '
                + `until then the ${podSecurityVersionLabel('enforce')} label promises more than the cluster checks`,
          });
        }
      }
    }
    return hits;
  },
};

/**
 * For each Pod Security check a server may lack, a pod the check alone rejects, from one that
 * passes every check: the pair tells whether the input's admission policies deny what the check
 * would.
 */
const CHECK_PROBES: Readonly<Record<string, (container: Record<string, unknown>) => Record<string, unknown>>> = {
  hostProbesAndHostLifecycle: container => ({ ...container, livenessProbe: { httpGet: { host: '169.254.169.254', path: '/', port: 80 } } }),
};

const COMPLIANT_CONTAINER = {
  name: 'app',
  image: 'app:1',
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
};

/**
 * The admission chain of the input as an API server of that minor version runs it; undefined
 * without admission policies, or when the server would refuse them (a coverage claim needs them).
 */
function admissionOf(model: ClusterModel, minor: number): AdmissionSimulator | undefined {
  if (!model.objects.some(o => o.kind === 'ValidatingAdmissionPolicy')) return undefined;
  try {
    return AdmissionSimulator.fromManifests(model.objects.map(o => o.manifest), () => {}, { kubernetesMinor: minor });
  } catch {
    return undefined;
  }
}

/** The user the probes are sent as: authenticated, and nobody any policy names. */
const PROBE_USER = completeUserInfo('namespace-guard:coverage-probe');

/**
 * The policy that denies, in namespace `namespace`, a pod that only `check` rejects, judged by the
 * admission simulator over the whole input as an API server of that version would: the probe pod
 * must be denied and the same pod without what the check forbids admitted. Undefined when no policy
 * does, or it cannot be shown (policies the server would refuse, a check without a probe).
 */
function coveringPolicy(simulator: AdmissionSimulator | undefined, namespace: string, check: string): string | undefined {
  const probe = CHECK_PROBES[check];
  if (simulator === undefined || probe === undefined) return undefined;
  const pod = (container: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'namespace-guard-coverage-probe', namespace },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container],
    },
  });
  const admit = (object: KubeObject) => simulator.admit({ operation: 'CREATE', object, oldObject: null, userInfo: PROBE_USER });
  if (!admit(pod(COMPLIANT_CONTAINER)).allowed) return undefined;
  const denied = admit(pod(probe(COMPLIANT_CONTAINER))).denials.filter(d => d.policy !== 'PodSecurity');
  return denied.length > 0 ? denied[0].policy : undefined;
}
