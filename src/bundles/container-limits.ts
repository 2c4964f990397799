import { Quota, QuotaValues } from './quota';
import { parseQuantity, quantityProblem } from '../private/quantity';

/**
 * Per-container defaults and maximums of a namespace LimitRange. Unset fields take the value
 * of `ContainerLimits.standard()`.
 */
export interface ContainerLimitValues {
  /** CPU request given to containers that declare none. @default "100m" */
  readonly defaultRequestCpu?: string;
  /** Memory request given to containers that declare none. @default "128Mi" */
  readonly defaultRequestMemory?: string;
  /** Ephemeral-storage request given to containers that declare none. @default "256Mi" */
  readonly defaultRequestEphemeralStorage?: string;
  /** CPU limit given to containers that declare none. @default "500m" */
  readonly defaultLimitCpu?: string;
  /** Memory limit given to containers that declare none. @default "512Mi" */
  readonly defaultLimitMemory?: string;
  /** Ephemeral-storage limit given to containers that declare none. @default "1Gi" */
  readonly defaultLimitEphemeralStorage?: string;
  /** Largest CPU limit of one container. @default - the quota's `limitsCpu` */
  readonly maxCpu?: string;
  /** Largest memory limit of one container. @default - the quota's `limitsMemory` */
  readonly maxMemory?: string;
  /** Largest ephemeral-storage limit of one container. @default - the quota's `limitsEphemeralStorage` */
  readonly maxEphemeralStorage?: string;
}

const STANDARD: ContainerLimitValues = {
  defaultRequestCpu: '100m',
  defaultRequestMemory: '128Mi',
  defaultRequestEphemeralStorage: '256Mi',
  defaultLimitCpu: '500m',
  defaultLimitMemory: '512Mi',
  defaultLimitEphemeralStorage: '1Gi',
};

type Resource = 'Cpu' | 'Memory' | 'EphemeralStorage';
const RESOURCES: { [r in Resource]: { key: string; quotaRequest: keyof QuotaValues; quotaLimit: keyof QuotaValues } } = {
  Cpu: { key: 'cpu', quotaRequest: 'requestsCpu', quotaLimit: 'limitsCpu' },
  Memory: { key: 'memory', quotaRequest: 'requestsMemory', quotaLimit: 'limitsMemory' },
  EphemeralStorage: { key: 'ephemeral-storage', quotaRequest: 'requestsEphemeralStorage', quotaLimit: 'limitsEphemeralStorage' },
};

const KNOWN_FIELDS = new Set(Object.keys(RESOURCES).flatMap(r => [`defaultRequest${r}`, `defaultLimit${r}`, `max${r}`]));

/**
 * The LimitRange of a namespace: container defaults that keep pods without resources
 * admissible under the quota, and per-container maximums.
 */
export class ContainerLimits {
  /** 100m CPU / 128Mi memory requested, 500m / 512Mi limit, maximums equal to the quota. */
  public static standard(): ContainerLimits {
    return new ContainerLimits({ ...STANDARD });
  }

  /** Custom values; unset fields take the value of `ContainerLimits.standard()`. */
  public static of(values: ContainerLimitValues): ContainerLimits {
    const merged: { [key: string]: unknown } = { ...STANDARD };
    for (const [key, value] of Object.entries(values ?? {})) {
      if (value !== undefined) merged[key] = value;
    }
    return new ContainerLimits(merged as ContainerLimitValues);
  }

  /** The values as given (maximums may be unset, meaning the quota's limits). */
  public readonly values: ContainerLimitValues;

  private readonly problemsByQuota = new WeakMap<Quota, string[]>();

  private constructor(values: ContainerLimitValues) {
    this.values = values;
  }

  /**
   * What is wrong with these values on their own and against the quota, with the fix.
   * @internal
   */
  public _problems(quota: Quota): string[] {
    // Values never change after construction, and one instance is often shared by many bundles.
    let problems = this.problemsByQuota.get(quota);
    if (!problems) {
      problems = this.findProblems(quota);
      this.problemsByQuota.set(quota, problems);
    }
    return [...problems];
  }

  private findProblems(quota: Quota): string[] {
    const problems: string[] = [];
    const v = this.values as { [key: string]: string | undefined };
    const q = quota.values as { [key: string]: string };
    for (const [field, value] of Object.entries(v)) {
      if (!KNOWN_FIELDS.has(field)) {
        problems.push(`container limit field "${field}" is unknown; use one of ${[...KNOWN_FIELDS].join(', ')}`);
        continue;
      }
      if (value === undefined) continue;
      const p = typeof value === 'string' ? quantityProblem(value) : `must be a string quantity, not ${JSON.stringify(value)}`;
      if (p) problems.push(`container limit ${field} ${p}`);
    }
    if (problems.length > 0) return problems;
    for (const resource of Object.keys(RESOURCES) as Resource[]) {
      const { quotaRequest, quotaLimit } = RESOURCES[resource];
      const request = v[`defaultRequest${resource}`]!;
      const limit = v[`defaultLimit${resource}`]!;
      const max = v[`max${resource}`] ?? q[quotaLimit];
      const num = (s: string) => parseQuantity(s)!;
      if (num(request) > num(limit)) {
        problems.push(`container defaultRequest${resource} "${request}" exceeds defaultLimit${resource} "${limit}"; a default request must not exceed the default limit`);
      }
      if (num(limit) > num(max)) {
        problems.push(`container defaultLimit${resource} "${limit}" exceeds max${resource} "${max}"; lower the default limit or raise the maximum`);
      }
      if (num(max) > num(q[quotaLimit])) {
        problems.push(`container max${resource} "${max}" exceeds quota ${quotaLimit} "${q[quotaLimit]}", so such a container could never be admitted; lower max${resource} to at most "${q[quotaLimit]}"`);
      }
      if (num(request) > num(q[quotaRequest])) {
        problems.push(`container defaultRequest${resource} "${request}" exceeds quota ${quotaRequest} "${q[quotaRequest]}", so no default pod fits; lower the default request or raise the quota`);
      }
    }
    return problems;
  }

  /**
   * The `spec.limits` of the LimitRange.
   * @internal
   */
  public _limits(quota: Quota): unknown[] {
    const v = this.values as { [key: string]: string | undefined };
    const q = quota.values as { [key: string]: string };
    const pick = (prefix: string, fallback?: (r: Resource) => string) => {
      const out: { [key: string]: string } = {};
      for (const resource of Object.keys(RESOURCES) as Resource[]) {
        const value = v[`${prefix}${resource}`] ?? fallback?.(resource);
        if (value !== undefined) out[RESOURCES[resource].key] = value;
      }
      return out;
    };
    return [{
      type: 'Container',
      defaultRequest: pick('defaultRequest'),
      default: pick('defaultLimit'),
      max: pick('max', r => q[RESOURCES[r].quotaLimit]),
    }];
  }
}
