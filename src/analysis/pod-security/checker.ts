import { POD_SECURITY_CHECKS } from './checks';
import { validatePodSecurityFields } from './fields';
import { EnforcedLevelName, parsePodSecurityLevel, parsePodSecurityVersion, PodSecurityLevelName } from './levels';
import { podViewOf } from './pod';
import { CheckFn, PodSecurityCheckDefinition, PodSecurityCheckId, PodSecurityResult, PodSecurityViolation } from './types';
import { podTemplateOf, PodTemplateLocation } from '../../model/pod-template';

interface ActiveCheck {
  readonly id: PodSecurityCheckId;
  readonly evaluate: CheckFn;
  readonly replaces: readonly PodSecurityCheckId[];
}

/** The revision of a check in force at a minor version, or undefined before the check existed. */
function variantAt(check: PodSecurityCheckDefinition, minor: number): CheckFn | undefined {
  let evaluate: CheckFn | undefined;
  for (const variant of check.variants) {
    if (variant.since <= minor) {
      evaluate = variant.evaluate;
    }
  }
  return evaluate;
}

function activeAt(level: EnforcedLevelName, minor: number): ActiveCheck[] {
  const active: ActiveCheck[] = [];
  for (const check of POD_SECURITY_CHECKS) {
    const evaluate = check.level === level ? variantAt(check, minor) : undefined;
    if (evaluate) {
      active.push({ id: check.id, evaluate, replaces: check.replaces ?? [] });
    }
  }
  return active.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const checkSets = new Map<string, readonly ActiveCheck[]>();

/**
 * The checks that run at a level and minor version, baseline ones first, each group in
 * id order (upstream's order). Restricted runs every baseline check except those replaced
 * by a stricter restricted check that exists at that version.
 */
function checksAt(level: PodSecurityLevelName, minor: number): readonly ActiveCheck[] {
  if (level === 'privileged') {
    return [];
  }
  const key = `${level}/${minor}`;
  let checks = checkSets.get(key);
  if (!checks) {
    const baseline = activeAt('baseline', minor);
    if (level === 'baseline') {
      checks = baseline;
    } else {
      const restricted = activeAt('restricted', minor);
      const replaced = new Set(restricted.flatMap(({ replaces }) => replaces));
      checks = [...baseline.filter(({ id }) => !replaced.has(id)), ...restricted];
    }
    checkSets.set(key, checks);
  }
  return checks;
}

/**
 * Ids of the checks that run at a level and policy version (`v1.0` … `v1.37` or `latest`).
 * @throws Error for an unknown level or version.
 */
export function podSecurityChecksFor(level: PodSecurityLevelName, version: string): PodSecurityCheckId[] {
  const checkedLevel = parsePodSecurityLevel(level);
  return checksAt(checkedLevel, parsePodSecurityVersion(version)).map(({ id }) => id);
}

/**
 * Evaluates a Pod, or a workload with a pod template (Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job, CronJob, PodTemplate), given as plain parsed
 * YAML/JSON, against a Pod Security Standards level at a policy version, the way the
 * Pod Security Admission plugin does in enforce mode.
 *
 * Violation paths are relative to the given object (a Deployment's pod spec is at
 * `spec.template.spec`).
 * @throws Error for an unknown level or version, or an object without a pod spec; FieldError for a
 * wrongly typed field the checks read.
 */
export function checkPodSecurity(manifest: unknown, level: PodSecurityLevelName, version: string): PodSecurityResult {
  const checkedLevel = parsePodSecurityLevel(level);
  parsePodSecurityVersion(version); // an unknown version is reported before a missing pod spec
  const template = podTemplateOf(manifest);
  if (!template) {
    throw new Error(
      `Cannot check Pod Security for ${describeManifest(manifest)}: no pod spec found. Expected a Pod (spec), ` +
      'a Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController or Job (spec.template.spec), ' +
      'a CronJob (spec.jobTemplate.spec.template.spec) or a PodTemplate (template.spec)',
    );
  }
  return checkPodTemplate(template, checkedLevel, version);
}

/**
 * Evaluates a located pod template (see `checkPodSecurity`).
 * @throws FieldError for a field the checks read that has the wrong type, which the API server would reject.
 */
export function checkPodTemplate(template: PodTemplateLocation, level: PodSecurityLevelName, version: string): PodSecurityResult {
  const checkedLevel = parsePodSecurityLevel(level);
  const minor = parsePodSecurityVersion(version);
  validatePodSecurityFields(template);
  const pod = podViewOf(template);
  const violations: PodSecurityViolation[] = [];
  for (const check of checksAt(checkedLevel, minor)) {
    for (const finding of check.evaluate(pod)) {
      violations.push({ check: check.id, path: finding.path, message: finding.message });
    }
  }
  return { allowed: violations.length === 0, violations };
}

function describeManifest(manifest: unknown): string {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return `a value of type ${Array.isArray(manifest) ? 'array' : manifest === null ? 'null' : typeof manifest}`;
  }
  const { kind, metadata } = manifest as { kind?: unknown; metadata?: { name?: unknown } };
  const name = typeof metadata?.name === 'string' ? ` "${metadata.name}"` : '';
  return `${typeof kind === 'string' ? kind : 'an object without kind'}${name}`;
}
