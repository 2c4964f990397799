import { parseQuantity, quantityProblem } from '../private/quantity';

/**
 * Values of a namespace ResourceQuota. Every field is optional; unset fields take the
 * value of `Quota.medium()`.
 */
export interface QuotaValues {
  /** Total CPU requests. @default "4" */
  readonly requestsCpu?: string;
  /** Total CPU limits. @default "8" */
  readonly limitsCpu?: string;
  /** Total memory requests. @default "8Gi" */
  readonly requestsMemory?: string;
  /** Total memory limits. @default "16Gi" */
  readonly limitsMemory?: string;
  /** Total ephemeral-storage requests. @default "20Gi" */
  readonly requestsEphemeralStorage?: string;
  /** Total ephemeral-storage limits. @default "40Gi" */
  readonly limitsEphemeralStorage?: string;
  /** Total storage requested by persistent volume claims. @default "100Gi" */
  readonly requestsStorage?: string;
  /** Number of persistent volume claims. @default 10 */
  readonly persistentVolumeClaims?: number;
  /** Number of pods. @default 50 */
  readonly pods?: number;
  /** Number of services. @default 20 */
  readonly services?: number;
  /** Number of secrets. @default 50 */
  readonly secrets?: number;
  /** Number of config maps. @default 50 */
  readonly configMaps?: number;
  /** Number of replication controllers. @default 0 (a legacy kind; use Deployments) */
  readonly replicationControllers?: number;
  /** Number of resource quotas (the bundle's own two count: the namespace quota and the system-priority one). @default 2 */
  readonly resourceQuotas?: number;
  /** Number of service accounts (the namespace's `default` one counts). @default 20 */
  readonly serviceAccounts?: number;
  /** Number of Deployments. @default 20 */
  readonly deployments?: number;
  /**
   * Number of ReplicaSets. Each Deployment keeps its current ReplicaSet and up to
   * `revisionHistoryLimit` (10 by default) old ones, so allow 11 per Deployment.
   * @default 220
   */
  readonly replicaSets?: number;
  /** Number of StatefulSets. @default 10 */
  readonly statefulSets?: number;
  /**
   * Number of DaemonSets. Each runs a pod on every node it selects, and `pods` still bounds those.
   * @default 5
   */
  readonly daemonSets?: number;
  /**
   * Number of Jobs. Each CronJob keeps up to 3 successful and 1 failed Job by default, besides the
   * one running, so allow 5 per CronJob and room for Jobs of their own.
   * @default 60
   */
  readonly jobs?: number;
  /** Number of CronJobs. @default 10 */
  readonly cronJobs?: number;
  /** Number of HorizontalPodAutoscalers. @default 20 */
  readonly horizontalPodAutoscalers?: number;
  /** Number of PodDisruptionBudgets. @default 20 */
  readonly podDisruptionBudgets?: number;
  /** Number of Ingresses. @default 10 */
  readonly ingresses?: number;
  /** Number of Roles (the bundle writes one per access level it grants, up to 3). @default 10 */
  readonly roles?: number;
  /** Number of RoleBindings (the bundle writes one per access level it grants, up to 3). @default 20 */
  readonly roleBindings?: number;
  /** Number of NodePort services. @default 0 */
  readonly nodePorts?: number;
  /** Number of LoadBalancer services. @default 0 */
  readonly loadBalancers?: number;
}

const MEDIUM: Required<QuotaValues> = {
  requestsCpu: '4',
  limitsCpu: '8',
  requestsMemory: '8Gi',
  limitsMemory: '16Gi',
  requestsEphemeralStorage: '20Gi',
  limitsEphemeralStorage: '40Gi',
  requestsStorage: '100Gi',
  persistentVolumeClaims: 10,
  pods: 50,
  services: 20,
  secrets: 50,
  configMaps: 50,
  replicationControllers: 0,
  resourceQuotas: 2,
  nodePorts: 0,
  loadBalancers: 0,
  serviceAccounts: 20,
  deployments: 20,
  replicaSets: 220,
  statefulSets: 10,
  daemonSets: 5,
  jobs: 60,
  cronJobs: 10,
  horizontalPodAutoscalers: 20,
  podDisruptionBudgets: 20,
  ingresses: 10,
  roles: 10,
  roleBindings: 20,
};

// The quota keys of the object counts beyond the core ones, which Kubernetes takes only in the
// `count/<resource>.<group>` form (service accounts: `count/serviceaccounts`).
const OBJECT_COUNT_KEYS = {
  serviceAccounts: 'count/serviceaccounts',
  deployments: 'count/deployments.apps',
  replicaSets: 'count/replicasets.apps',
  statefulSets: 'count/statefulsets.apps',
  daemonSets: 'count/daemonsets.apps',
  jobs: 'count/jobs.batch',
  cronJobs: 'count/cronjobs.batch',
  horizontalPodAutoscalers: 'count/horizontalpodautoscalers.autoscaling',
  podDisruptionBudgets: 'count/poddisruptionbudgets.policy',
  ingresses: 'count/ingresses.networking.k8s.io',
  roles: 'count/roles.rbac.authorization.k8s.io',
  roleBindings: 'count/rolebindings.rbac.authorization.k8s.io',
} as const;

const QUANTITY_FIELDS = ['requestsCpu', 'limitsCpu', 'requestsMemory', 'limitsMemory', 'requestsEphemeralStorage', 'limitsEphemeralStorage', 'requestsStorage'] as const;
const COUNT_FIELDS = [
  'persistentVolumeClaims', 'pods', 'services', 'secrets', 'configMaps', 'replicationControllers', 'resourceQuotas', 'nodePorts', 'loadBalancers',
  ...Object.keys(OBJECT_COUNT_KEYS) as (keyof typeof OBJECT_COUNT_KEYS)[],
] as const;

/**
 * The ResourceQuota of a namespace: compute, storage and object counts. The counts cover every
 * kind the bundle's access levels let tenants create (workloads, Services, Secrets, ConfigMaps,
 * claims, Ingresses, autoscalers, disruption budgets, service accounts, Roles and RoleBindings),
 * besides ReplicationControllers and ResourceQuotas.
 */
export class Quota {
  /** For small tenants: 2 CPU / 4Gi requested, 20 pods, 10 Deployments. */
  public static small(): Quota {
    return new Quota({
      ...MEDIUM,
      requestsCpu: '2',
      limitsCpu: '4',
      requestsMemory: '4Gi',
      limitsMemory: '8Gi',
      requestsEphemeralStorage: '10Gi',
      limitsEphemeralStorage: '20Gi',
      requestsStorage: '20Gi',
      persistentVolumeClaims: 5,
      pods: 20,
      services: 10,
      secrets: 20,
      configMaps: 20,
      serviceAccounts: 10,
      deployments: 10,
      replicaSets: 110,
      statefulSets: 5,
      daemonSets: 2,
      jobs: 30,
      cronJobs: 5,
      horizontalPodAutoscalers: 10,
      podDisruptionBudgets: 10,
      ingresses: 5,
      roles: 5,
      roleBindings: 10,
    });
  }

  /** The default: 4 CPU / 8Gi requested, 50 pods, 20 Deployments. */
  public static medium(): Quota {
    return new Quota({ ...MEDIUM });
  }

  /** For large tenants or teams: 16 CPU / 32Gi requested, 200 pods, 50 Deployments. */
  public static large(): Quota {
    return new Quota({
      ...MEDIUM,
      requestsCpu: '16',
      limitsCpu: '32',
      requestsMemory: '32Gi',
      limitsMemory: '64Gi',
      requestsEphemeralStorage: '50Gi',
      limitsEphemeralStorage: '100Gi',
      requestsStorage: '500Gi',
      persistentVolumeClaims: 25,
      pods: 200,
      services: 50,
      secrets: 100,
      configMaps: 100,
      serviceAccounts: 50,
      deployments: 50,
      replicaSets: 550,
      statefulSets: 25,
      daemonSets: 10,
      jobs: 150,
      cronJobs: 25,
      horizontalPodAutoscalers: 50,
      podDisruptionBudgets: 50,
      ingresses: 25,
      roles: 20,
      roleBindings: 50,
    });
  }

  /** Custom values; unset fields take the value of `Quota.medium()`. */
  public static of(values: QuotaValues): Quota {
    const merged: { [key: string]: unknown } = { ...MEDIUM };
    for (const [key, value] of Object.entries(values ?? {})) {
      if (value !== undefined) merged[key] = value;
    }
    return new Quota(merged as unknown as Required<QuotaValues>);
  }

  /** The effective values (presets and defaults resolved). */
  public readonly values: QuotaValues;

  private problems?: string[];

  private constructor(values: Required<QuotaValues>) {
    this.values = values;
  }

  /**
   * What is wrong with the values, one sentence each with the fix.
   * @internal
   */
  public _problems(): string[] {
    // Values never change after construction, and one preset is often shared by many bundles.
    this.problems ??= this.findProblems();
    return [...this.problems];
  }

  private findProblems(): string[] {
    const v = this.values as Required<QuotaValues>;
    const problems: string[] = [];
    const known = new Set<string>([...QUANTITY_FIELDS, ...COUNT_FIELDS]);
    for (const key of Object.keys(v)) {
      if (!known.has(key)) problems.push(`quota field "${key}" is unknown; use one of ${[...known].join(', ')}`);
    }
    for (const field of QUANTITY_FIELDS) {
      const p = typeof v[field] === 'string' ? quantityProblem(v[field]) : `must be a string quantity such as "2" or "4Gi", not ${JSON.stringify(v[field])}`;
      if (p) problems.push(`quota ${field} ${p}`);
    }
    if (problems.length === 0) {
      for (const [request, limit] of [['requestsCpu', 'limitsCpu'], ['requestsMemory', 'limitsMemory'], ['requestsEphemeralStorage', 'limitsEphemeralStorage']] as const) {
        if (parseQuantity(v[request])! > parseQuantity(v[limit])!) {
          problems.push(`quota ${request} "${v[request]}" exceeds ${limit} "${v[limit]}"; requests can never exceed limits, so raise ${limit} or lower ${request}`);
        }
      }
    }
    for (const field of COUNT_FIELDS) {
      const n = v[field];
      if (!Number.isInteger(n) || n < 0) problems.push(`quota ${field} must be a whole number of at least 0, not ${n}`);
    }
    return problems;
  }

  /**
   * The `spec.hard` map of the ResourceQuota.
   * @internal
   */
  public _hard(): { [key: string]: string } {
    const v = this.values as Required<QuotaValues>;
    return {
      'requests.cpu': v.requestsCpu,
      'limits.cpu': v.limitsCpu,
      'requests.memory': v.requestsMemory,
      'limits.memory': v.limitsMemory,
      'requests.ephemeral-storage': v.requestsEphemeralStorage,
      'limits.ephemeral-storage': v.limitsEphemeralStorage,
      'requests.storage': v.requestsStorage,
      'persistentvolumeclaims': String(v.persistentVolumeClaims),
      'pods': String(v.pods),
      'services': String(v.services),
      'secrets': String(v.secrets),
      'configmaps': String(v.configMaps),
      'replicationcontrollers': String(v.replicationControllers),
      'resourcequotas': String(v.resourceQuotas),
      'services.nodeports': String(v.nodePorts),
      'services.loadbalancers': String(v.loadBalancers),
      ...Object.fromEntries(Object.entries(OBJECT_COUNT_KEYS).map(([field, key]) => [key, String(v[field as keyof typeof OBJECT_COUNT_KEYS])])),
    };
  }
}
