import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppGuard } from '../guard/app-guard';
import { isBuiltInGroup, podTemplateOf } from '../model/pod-template';
import { fillRestrictedDefaults } from '../model/restricted-pod-spec';
import { apiGroupOf, workloadKindOf } from '../model/vocabulary';
import { guardError } from '../private/errors';
import { isRecord } from '../private/json';

/**
 * Per hardened object, when its rendering is hardened: `always` (hardened by name, so an object
 * without a pod template is an error) or only when it renders into a managed namespace.
 */
type Condition = 'always' | ((json: unknown) => boolean);
const conditions = new WeakMap<ApiObject, Condition[]>();

/**
 * Makes workloads pass Pod Security `restricted` without JSON patches.
 *
 * cdk8s-plus workloads already run as non-root without privilege escalation, but cannot set a
 * seccomp profile or drop capabilities, so a plain `kplus.Deployment` fails `restricted`. Hardening
 * fills in, when the object is rendered, what `restricted` requires and the user left unset:
 *
 * - the pod's seccomp profile `RuntimeDefault` (unless the pod or every container sets one);
 * - per container (init and ephemeral ones too) `allowPrivilegeEscalation: false` and
 *   `capabilities.drop: ["ALL"]`;
 * - `runAsNonRoot: true` on the pod when neither the pod nor a container says.
 *
 * Nothing the user set is overridden, even a value `restricted` refuses (`privileged: true`, a
 * `hostPath` volume): the synth-time Pod Security check then names it with its fix.
 */
export class PodHardening {
  /**
   * Hardens the pods of one workload.
   *
   * @param workload a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) or
   * any ApiObject with a pod template, custom resources with `spec.template` included
   */
  public static restricted(workload: IConstruct): void {
    const object = apiObjectOf(workload);
    const group = apiGroupOf(object.apiVersion);
    if (workloadKindOf(object.apiVersion, object.kind) === undefined && isBuiltInGroup(group)) {
      throw guardError(workload, `a ${object.kind} has no pods to harden`,
        'pass a workload: a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod');
    }
    harden(object, 'always');
  }

  /**
   * Hardens every workload under `scope` that runs in a namespace a bundle of the app manages
   * (TenantNamespace, TeamNamespace, SecurityZone), whenever the app is synthesized: workloads
   * defined after this call are included. Objects of other kinds and workloads in other namespaces
   * are left alone.
   *
   * @param scope usually the App, or a Chart
   */
  public static restrictedInManagedNamespaces(scope: IConstruct): void {
    const guard = AppGuard.of(scope);
    const managed = (json: unknown) => {
      const namespace = isRecord(json) && isRecord(json.metadata) ? json.metadata.namespace : undefined;
      return typeof namespace === 'string' && guard.managedNamespaces.has(namespace);
    };
    const apply = () => {
      for (const c of scope.node.findAll()) {
        if (ApiObject.isApiObject(c) && carriesPods(c)) harden(c, managed);
      }
    };
    apply();
    guard.beforeRendering(apply);
  }

  private constructor() {}
}

function apiObjectOf(workload: IConstruct): ApiObject {
  if (ApiObject.isApiObject(workload)) return workload;
  const child = workload?.node?.defaultChild;
  if (child !== undefined && ApiObject.isApiObject(child)) return child;
  throw guardError(workload?.node ? workload : '<unknown>', 'is not an ApiObject and has no ApiObject as its default child',
    'pass a cdk8s-plus workload (for example a kplus.Deployment) or the ApiObject of a workload');
}

/** Whether the object is a workload kind, or a custom resource that may carry a pod template. */
function carriesPods(object: ApiObject): boolean {
  return workloadKindOf(object.apiVersion, object.kind) !== undefined || !isBuiltInGroup(apiGroupOf(object.apiVersion));
}

/**
 * Wraps the object's rendering so that the pod template it renders gets the restricted defaults
 * when one of its conditions holds. The wrapper is the object's own `toJson`, so every path that
 * renders it (`app.synth()`, `Testing.synth`, the reports) sees the hardened pod.
 */
function harden(object: ApiObject, condition: Condition): void {
  const existing = conditions.get(object);
  if (existing) {
    if (!existing.includes(condition)) existing.push(condition);
    return;
  }
  const held: Condition[] = [condition];
  conditions.set(object, held);
  const render = object.toJson.bind(object);
  Object.defineProperty(object, 'toJson', {
    value: () => {
      const json = render();
      const named = held.includes('always');
      if (!named && !held.some(c => c !== 'always' && c(json))) return json;
      const template = podTemplateOf(json);
      if (template === undefined) {
        if (!named) return json; // a custom resource without pods in a managed namespace
        throw guardError(object, `PodHardening: the ${object.kind} has no pod template (spec.template.spec) to harden`,
          'harden workloads only: a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, or a custom resource with spec.template');
      }
      fillRestrictedDefaults(template.spec as Record<string, unknown>);
      return json;
    },
    configurable: true,
    writable: true,
  });
}
