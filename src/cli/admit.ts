import { AdmitFormat, DEFAULT_ADMIT_FORMAT } from './choices';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { CliIo, loadInputs } from './io';
import { ServerVersion, serverClause, serverVersionOf } from './kubernetes-version';
import { Warnings } from './warnings';
import { AdmissionDecision, AdmissionResult, NotChecked, AdmissionSimulator, completeUserInfo, REQUEST_OPERATIONS, RequestOperation } from '../analysis/admission';
import { describeOrigin, KubeObject, Manifest, namespaceOf, withOrigin } from '../model/manifests';
import { InputNote } from '../model/notes';

/** Admission the command reads but does not run: webhooks live outside the input, mutation changes the object. */
const UNSIMULATED_ADMISSION = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'MutatingAdmissionPolicy']);

/** The parsed flags of `namespace-guard admit`; undefined means "not given". */
export interface AdmitOptions {
  readonly file: readonly string[];
  readonly object: string;
  readonly oldObject?: string;
  readonly operation: string;
  readonly user: string;
  readonly group?: readonly string[];
  readonly format?: AdmitFormat;
  /** The API server's version, `1.<minor>`; the newest modelled when not given. */
  readonly kubernetesVersion?: string;
  /** No warnings on stderr. */
  readonly quiet?: boolean;
}

/**
 * `namespace-guard admit`: each document of --object is one request, judged by Pod Security
 * admission and the ValidatingAdmissionPolicies (with their bindings) of the -f manifests.
 */
export function admit(options: AdmitOptions, io: CliIo): number {
  const operation = parseOperation(options.operation);
  if (options.oldObject !== undefined && operation !== 'UPDATE') {
    throw new UsageError('--old-object is for UPDATE only; for DELETE, --object is the object being deleted');
  }
  if (operation === 'UPDATE' && options.oldObject === undefined) {
    throw new UsageError('UPDATE needs --old-object: the stored objects, one for each object of --object');
  }
  const server = serverVersionOf(options.kubernetesVersion);
  const stdinUsers = [options.file.includes('-'), options.object === '-', options.oldObject === '-'].filter(Boolean).length;
  if (stdinUsers > 1) throw new UsageError('standard input (-) can be read once: give -f, --object and --old-object different sources');

  const warnings = new Warnings(io, options.quiet);
  const notes: InputNote[] = [];
  const manifests = loadInputs(options.file, io, notes);
  warnings.notes(() => notes);
  // Assumed: each label at its own version, and the simulator warns of one newer than modelled.
  const kubernetesMinor = server.assumed ? undefined : server.minor;
  const simulator = AdmissionSimulator.fromManifests(manifests, (message) => warnings.warn(message), { kubernetesMinor });
  for (const m of manifests.filter(x => UNSIMULATED_ADMISSION.has(x.object.kind))) {
    warnings.warn(`not simulated: ${m.object.kind} ${m.object.metadata?.name ?? ''} (${describeOrigin(m)}): `
      + 'the API server would also ask it, so an "admitted" here covers the policies only');
  }
  const objects = loadInputs([options.object], io);
  if (objects.length === 0) throw new UsageError(`--object ${options.object}: no objects to admit`);
  const oldObjects = options.oldObject === undefined ? [] : loadInputs([options.oldObject], io);
  const userInfo = completeUserInfo(options.user, options.group ?? []);

  const results = objects.map((m) => {
    const old = operation === 'UPDATE' ? findOld(m, oldObjects, options.oldObject!) : null;
    return withOrigin(m, () => simulator.admit({
      operation,
      object: operation === 'DELETE' ? null : m.object,
      oldObject: operation === 'DELETE' ? m.object : old,
      userInfo,
      origin: m,
    }));
  });

  io.stdout(ADMIT_RENDERERS[options.format ?? DEFAULT_ADMIT_FORMAT](results, server));
  const denied = results.filter(r => r.denials.length > 0).length;
  const unknown = results.filter(r => !r.allowed && r.denials.length === 0).length;
  // A request not shown admitted fails the run like a denial: "admitted" is never assumed.
  io.stderr(`namespace-guard: ${results.length} ${operation} request${results.length === 1 ? '' : 's'} as ${userInfo.username} `
    + `(${serverClause(server, simulator.kubernetesMinor)}): ${results.length - denied - unknown} admitted, ${denied} denied`
    + `${unknown > 0 ? `, ${unknown} not checked` : ''}\n`);
  return denied + unknown > 0 ? EXIT_FAILED : EXIT_OK;
}


function parseOperation(value: string): RequestOperation {
  if (!(REQUEST_OPERATIONS as readonly string[]).includes(value)) {
    throw new UsageError(`--operation ${JSON.stringify(value)}: expected one of ${REQUEST_OPERATIONS.join(', ')}`);
  }
  return value as RequestOperation;
}

/** The old object with the same kind, namespace and name, as the API server would have it stored. */
function findOld(m: Manifest, oldObjects: readonly Manifest[], source: string): KubeObject {
  const key = identity(m.object);
  const found = oldObjects.find(o => identity(o.object) === key);
  if (!found) {
    throw new UsageError(`${describeOrigin(m)}: no old object ${key} in --old-object ${source}; `
      + 'an UPDATE needs the stored object with the same kind, namespace and name');
  }
  return found.object;
}

function identity(o: KubeObject): string {
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  return o.kind === 'Namespace' ? `${o.kind} ${name}` : `${o.kind} ${namespaceOf(o)}/${name}`;
}

/** One line per request; keys in a fixed order. */
function renderJson(results: readonly AdmissionResult[], server: ServerVersion): string {
  const decision = (d: AdmissionDecision) => ({
    policy: d.policy,
    binding: d.binding ?? null,
    ...(d.reason === undefined ? {} : { reason: d.reason }),
    message: d.message,
  });
  return results.map(r => `${JSON.stringify({
    allowed: r.allowed,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    denials: r.denials.map(decision),
    warnings: r.warnings.map(decision),
    audits: r.audits.map(decision),
    notChecked: r.notChecked.map((n: NotChecked) => ({
      policy: n.policy, binding: n.binding, validationActions: n.validationActions, reason: n.reason,
    })),
    kubernetesVersion: server.text,
    kubernetesVersionAssumed: server.assumed,
  })}\n`).join('');
}

function renderText(results: readonly AdmissionResult[]): string {
  const lines: string[] = [];
  const by = (d: AdmissionDecision) => (d.binding === undefined ? d.policy : `${d.policy} (binding ${d.binding})`);
  for (const r of results) {
    const name = r.name === '' ? '(unnamed)' : r.name;
    const verdict = r.allowed ? 'ADMITTED' : r.denials.length > 0 ? 'DENIED' : 'NOT CHECKED';
    lines.push(`${verdict} ${r.kind} ${r.namespace === null ? name : `${r.namespace}/${name}`}`);
    for (const d of r.denials) lines.push(`  denied by ${by(d)}: ${d.message}`);
    for (const n of r.notChecked) {
      lines.push(`  not checked: ${n.policy} (binding ${n.binding}, ${n.validationActions.join(', ')}): ${n.reason} is not simulated`);
    }
    for (const d of r.warnings) lines.push(`  warning from ${by(d)}: ${d.message}`);
    for (const d of r.audits) lines.push(`  audit by ${by(d)}: ${d.message}`);
  }
  return lines.map(l => `${l}\n`).join('');
}

/** One formatter per --format: a format without one does not compile. */
const ADMIT_RENDERERS: Readonly<Record<AdmitFormat, (results: readonly AdmissionResult[], server: ServerVersion) => string>> = {
  text: renderText,
  json: renderJson,
};
