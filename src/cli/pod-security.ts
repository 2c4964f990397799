import { CheckLevel, DEFAULT_POD_SECURITY_FORMAT, PodSecurityFormat } from './choices';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { CliIo, loadInputs } from './io';
import { ServerVersion, serverClause, serverVersionOf } from './kubernetes-version';
import { Warnings } from './warnings';
import {
  checkPodSecurity,
  judgedPodSecurityVersion,
  LATEST_POD_SECURITY_VERSION,
  parsePodSecurityLevel,
  parsePodSecurityVersion,
  PodSecurityLevelName,
  PodSecurityViolation,
} from '../analysis/pod-security';
import { PodSecurityLabels, readPodSecurityLabels } from '../model/cluster-model';
import { parseLabels } from '../model/labels';
import { describeOrigin, KubeObject, Manifest, namespaceOf, withOrigin } from '../model/manifests';
import { InputNote, podCarrierNotes } from '../model/notes';
import { podTemplateOf } from '../model/pod-template';
import { podSecurityLevelLabel, podSecurityVersionLabel, WORKLOAD_KINDS } from '../model/vocabulary';

export const PSA_ENFORCE_LABEL = podSecurityLevelLabel('enforce');
export const PSA_ENFORCE_VERSION_LABEL = podSecurityVersionLabel('enforce');

/** The parsed flags of `namespace-guard pod-security`; undefined means "not given". */
export interface PodSecurityOptions {
  readonly file: readonly string[];
  readonly level?: CheckLevel;
  readonly version?: string;
  /** The API server's version, `1.<minor>`, which caps the policy version; the newest modelled when not given. */
  readonly kubernetesVersion?: string;
  readonly format?: PodSecurityFormat;
  /** No warnings on stderr. */
  readonly quiet?: boolean;
}

/** Where the level an object is checked against comes from. */
export type LevelSource = 'flag' | 'namespace-label';

/** The level and policy version an object is checked against, and where they come from. */
interface Policy {
  readonly level: PodSecurityLevelName;
  /** `latest` or `v1.N`. */
  readonly version: string;
  /** --level (and --version), or the enforce labels of the object's namespace. */
  readonly source: LevelSource;
}

interface Outcome {
  readonly manifest: Manifest;
  readonly namespace: string;
  readonly name: string | null;
  readonly policy: Policy;
  /** The version the server judges `policy.version` at. */
  readonly judgedVersion: string;
  readonly allowed: boolean;
  readonly violations: readonly PodSecurityViolation[];
}

/** Kinds that always carry a pod spec: one of them without one is reported rather than silently ignored. */
const POD_KINDS = new Set([...WORKLOAD_KINDS.map(k => k.kind), 'PodTemplate']);

/** `namespace-guard pod-security`: checks Pods and workloads like Pod Security Admission in enforce mode. */
export function podSecurity(options: PodSecurityOptions, io: CliIo): number {
  const fixed = fixedPolicy(options);
  const server = serverVersionOf(options.kubernetesVersion);
  const notes: InputNote[] = [];
  const manifests = loadInputs(options.file, io, notes);
  // The objects checked are those with a pod spec; custom kinds that run pods without one are named.
  notes.push(...podCarrierNotes(manifests.map(m => m.object), o => podTemplateOf(o) !== undefined));
  const warnings = new Warnings(io, options.quiet);
  warnings.notes(() => notes);
  const byNamespace = fixed ? new Map<string, Policy | undefined>() : namespacePolicies(manifests, io);

  const outcomes: Outcome[] = [];
  let skipped = 0;
  for (const m of manifests) {
    const o = m.object;
    if (!podTemplateOf(o)) {
      if (POD_KINDS.has(o.kind)) {
        skipped++;
        io.stderr(`namespace-guard: skipped ${describe(o)} (${describeOrigin(m)}): no pod spec\n`);
      }
      continue;
    }
    const namespace = namespaceOf(o); // pods and workloads without one are created in `default`
    const policy = fixed ?? byNamespace.get(namespace);
    if (!policy) {
      skipped++;
      io.stderr(`namespace-guard: skipped ${describe(o)} (${describeOrigin(m)}): ${skipReason(namespace, byNamespace)}\n`);
      continue;
    }
    // The server judges a newer version at its own (latest is its own).
    const judgedVersion = judgedPodSecurityVersion(policy.version, server.minor);
    const result = withOrigin(m, () => checkPodSecurity(o, policy.level, judgedVersion));
    outcomes.push({
      manifest: m, namespace, name: stringField(o.metadata?.name), policy, judgedVersion, allowed: result.allowed, violations: result.violations,
    });
  }
  const text = POD_SECURITY_RENDERERS[options.format ?? DEFAULT_POD_SECURITY_FORMAT](outcomes, server);
  if (text !== '') io.stdout(`${text}\n`);
  const denied = outcomes.filter((x) => !x.allowed).length;
  if (outcomes.length === 0) {
    io.stderr(`namespace-guard: no Pods or workloads were checked${skipped > 0 ? ` (${skipped} skipped)` : ''}\n`);
  } else {
    io.stderr(`namespace-guard: checked ${outcomes.length}: ${outcomes.length - denied} allowed, ${denied} denied; ${skipped} skipped (${serverClause(server)})\n`);
  }
  return denied > 0 ? EXIT_FAILED : EXIT_OK;
}

/** The policy given by --level/--version, or undefined when the namespaces' labels decide. */
function fixedPolicy(o: PodSecurityOptions): Policy | undefined {
  if (o.level === undefined) {
    if (o.version !== undefined) {
      throw new UsageError(`--version needs --level; without --level each namespace's ${PSA_ENFORCE_VERSION_LABEL} label is used`);
    }
    return undefined;
  }
  const version = o.version ?? 'latest';
  try {
    return { level: parsePodSecurityLevel(o.level), version: formatVersion(version, parsePodSecurityVersion(version)), source: 'flag' };
  } catch (e) {
    throw new UsageError(`--version: ${(e as Error).message}`);
  }
}

function formatVersion(text: string, minor: number): string {
  return text === 'latest' ? text : `v1.${minor}`;
}

/**
 * The enforce policy of every Namespace in the input that has a `pod-security.kubernetes.io/enforce`
 * label (undefined for the others). Like the admission plugin, an unparsable level means
 * `restricted` and an unparsable version means `latest`; a version newer than the newest one
 * modelled is evaluated as `latest`, as a cluster evaluates versions newer than itself.
 */
function namespacePolicies(manifests: readonly Manifest[], io: CliIo): Map<string, Policy | undefined> {
  const policies = new Map<string, Policy | undefined>();
  for (const m of manifests) {
    const o = m.object;
    const name = stringField(o.metadata?.name);
    if (o.kind !== 'Namespace' || o.apiVersion !== 'v1' || name === null) continue;
    const labels = withOrigin(m, () => parseLabels(o.metadata?.labels, 'metadata.labels'));
    const read = readPodSecurityLabels(labels, 'enforce');
    policies.set(name, read && labelPolicy(name, read, m, io));
  }
  return policies;
}

function labelPolicy(namespace: string, read: PodSecurityLabels, m: Manifest, io: CliIo): Policy {
  const where = `namespace ${namespace} (${describeOrigin(m)})`;
  if (read.invalidLevel !== undefined) {
    io.stderr(`namespace-guard: ${where}: invalid ${PSA_ENFORCE_LABEL} label ${JSON.stringify(read.invalidLevel)}; `
      + 'Pod Security Admission enforces "restricted" then, and so does this check\n');
  }
  if (read.invalidVersion !== undefined) {
    io.stderr(`namespace-guard: ${where}: invalid ${PSA_ENFORCE_VERSION_LABEL} label ${JSON.stringify(read.invalidVersion)}; `
      + 'Pod Security Admission uses "latest" then, and so does this check\n');
  }
  try {
    return { level: read.level, version: formatVersion(read.version, parsePodSecurityVersion(read.version)), source: 'namespace-label' };
  } catch {
    io.stderr(`namespace-guard: ${where}: ${PSA_ENFORCE_VERSION_LABEL} ${read.version} is newer than the newest policy version modelled `
      + `(${LATEST_POD_SECURITY_VERSION}); checking against latest\n`);
    return { level: read.level, version: 'latest', source: 'namespace-label' };
  }
}

function skipReason(namespace: string, policies: ReadonlyMap<string, Policy | undefined>): string {
  if (!policies.has(namespace)) {
    return `no Namespace ${namespace} in the input to read its ${PSA_ENFORCE_LABEL} label from; pass --level to check it`;
  }
  return `namespace ${namespace} has no ${PSA_ENFORCE_LABEL} label; pass --level to check it`;
}

function renderJson(outcomes: readonly Outcome[], server: ServerVersion): string {
  const entries = outcomes.map((x) => JSON.stringify({
    file: x.manifest.source,
    kind: x.manifest.object.kind,
    namespace: x.namespace,
    name: x.name,
    level: x.policy.level,
    version: x.policy.version,
    levelSource: x.policy.source,
    judgedVersion: x.judgedVersion,
    kubernetesVersion: server.text,
    kubernetesVersionAssumed: server.assumed,
    allowed: x.allowed,
    violations: x.violations.map((v) => ({ check: v.check, path: v.path, message: v.message })),
  }));
  return `[${entries.join(',')}]`;
}

function renderTable(outcomes: readonly Outcome[]): string {
  const lines: string[] = [];
  for (const x of outcomes) {
    const verdict = x.allowed ? 'ALLOWED' : 'DENIED ';
    const judged = sameVersion(x.policy.version, x.judgedVersion) ? '' : ` as ${x.judgedVersion}`;
    lines.push(`${verdict} ${describe(x.manifest.object)} [${x.policy.level}:${x.policy.version}${judged}] (${describeOrigin(x.manifest)})`);
    for (const v of x.violations) {
      lines.push(`  - ${v.check} at ${v.path}: ${v.message}`);
    }
  }
  return lines.join('\n');
}

/** Whether two versions name the same checks (`latest` is the newest modelled). */
function sameVersion(a: string, b: string): boolean {
  return parsePodSecurityVersion(a) === parsePodSecurityVersion(b);
}

/** `Kind namespace/name`; an object without metadata.namespace is in `default`. */
function describe(o: KubeObject): string {
  const name = stringField(o.metadata?.name) ?? '(unnamed)';
  return `${o.kind} ${namespaceOf(o)}/${name}`;
}

function stringField(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** One formatter per --format: a format without one does not compile. */
const POD_SECURITY_RENDERERS: Readonly<Record<PodSecurityFormat, (outcomes: readonly Outcome[], server: ServerVersion) => string>> = {
  table: renderTable,
  json: renderJson,
};
