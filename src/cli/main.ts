import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_ADMIT_FORMAT, DEFAULT_CHECK_FORMAT, DEFAULT_DIFF_FAIL_ON, DEFAULT_DIFF_FORMAT, DEFAULT_EVIDENCE_FAIL_ON, DEFAULT_EVIDENCE_FORMAT,
  DEFAULT_FAIL_ON, DEFAULT_POD_SECURITY_FORMAT, DEFAULT_REACH_FORMAT,
  ADMIT_FORMATS, AdmitFormat, CHECK_FORMATS, CHECK_LEVELS, CheckFormat, CheckLevel, DEFAULT_TABLE_WIDTH, DIFF_FAIL_ON, DIFF_FORMATS, DiffFailOn,
  DiffFormat, EVIDENCE_FAIL_ON, EVIDENCE_FORMATS, EvidenceFailOn, EvidenceFormat, FAIL_ON, FailOn, MAX_MATRIX_NAMESPACES, POD_SECURITY_FORMATS,
  PodSecurityFormat, REACH_FORMATS, REACH_LEVELS, ReachFormat, ReachLevel,
} from './choices';
import { CLUSTER_FILE_EXAMPLE } from './cluster-file';
import { EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { CliIo, processIo } from './io';
import { packageInfo } from './package-info';
import { LATEST_POD_SECURITY_VERSION } from '../analysis/pod-security/levels';
import { INTERNET_NODE, INTERNET_NODE_FALLBACK } from '../analysis/reachability/internet';
import { clusterCidrProblem } from '../model/cluster-network';
import { formatKubernetesVersion, kubernetesVersionProblem, NEWEST_KUBERNETES_MINOR } from '../model/kubernetes-version';
import { ManifestError } from '../model/manifests';
import { MAX_PORT, MIN_PORT, podSecurityLevelLabel, podSecurityVersionLabel, PROTOCOLS, ProtocolName as Protocol } from '../model/vocabulary';

export type { CliIo } from './io';

const NAME = 'namespace-guard';

// Each command's module is loaded when the command runs, so that a command loads only what it
// needs: the admission simulator's CEL runtime alone would add a quarter of a second to the others.
/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  check: () => (require('./check') as typeof import('./check')).check,
  diff: () => (require('./diff') as typeof import('./diff')).diff,
  evidence: () => (require('./evidence') as typeof import('./evidence')).evidence,
  reach: () => (require('./reach') as typeof import('./reach')).reach,
  podSecurity: () => (require('./pod-security') as typeof import('./pod-security')).podSecurity,
  admit: () => (require('./admit') as typeof import('./admit')).admit,
  rules: () => (require('../rules/all-rules') as typeof import('../rules/all-rules')).RULES,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Runs the `namespace-guard` command with `argv` (the arguments after the program name) and
 * resolves to its exit code: 0 success, 1 a finding at or above --fail-on (or a change, for diff), a denied connection,
 * a Pod Security violation or a denied request, 2 bad usage or input. Output goes to `io` (the process streams by default): the result on
 * stdout, diagnostics on stderr. Never calls process.exit.
 */
export async function run(argv: string[], io?: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  // Only the process's own stdout has a terminal width; captured output gets the fixed default.
  const terminalWidth = io === undefined && process.stdout.isTTY ? process.stdout.columns : undefined;
  io = io ?? processIo();
  const program = createProgram(io, (code) => {
    exitCode = code;
  }, terminalWidth);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // Commander has already printed help, the version or the error message.
    return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (e instanceof UsageError || e instanceof ManifestError) {
    io.stderr(`${NAME}: ${e.message}\n`);
  } else {
    io.stderr(`${NAME}: unexpected error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  }
  return EXIT_USAGE;
}

interface ReachFlags {
  file: string[];
  quiet?: boolean;
  level?: ReachLevel;
  port?: number;
  protocol?: Protocol;
  format?: ReachFormat;
  from?: string;
  to?: string;
  namespace?: string;
  width?: number;
  asEnforced?: boolean;
  cluster?: string;
}

interface CheckFlags {
  file: string[];
  quiet?: boolean;
  format?: CheckFormat;
  failOn?: FailOn;
  podCidr?: string[];
  serviceCidr?: string[];
  nodeCidr?: string[];
  kubernetesVersion?: string;
}

interface DiffFlags {
  base: string[];
  head: string[];
  quiet?: boolean;
  format?: DiffFormat;
  failOn?: DiffFailOn;
  cluster?: string;
}

interface EvidenceFlags {
  file: string[];
  namespace?: string[];
  quiet?: boolean;
  format?: EvidenceFormat;
  failOn?: EvidenceFailOn;
  cluster?: string;
}

interface AdmitFlags {
  file: string[];
  quiet?: boolean;
  object: string;
  oldObject?: string;
  operation: string;
  user: string;
  group?: string[];
  format?: AdmitFormat;
  kubernetesVersion?: string;
}

interface PodSecurityFlags {
  file: string[];
  quiet?: boolean;
  level?: CheckLevel;
  version?: string;
  kubernetesVersion?: string;
  format?: PodSecurityFormat;
}

function createProgram(io: CliIo, setExitCode: (code: number) => void, terminalWidth?: number): Command {
  const program = new Command(NAME)
    .description('Check Kubernetes manifests: the namespace-guard rules, NetworkPolicy reachability, Pod Security Standards, what a change opens, and compliance evidence.')
    .version(packageInfo().version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print help and exit')
    .helpCommand('help [command]', 'print help for a command')
    // Program options only before the subcommand, so `pod-security --version v1.30` is the subcommand's.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(`${NAME}: ${text.replace(/^error: /, '')}`),
      getOutHelpWidth: () => 100,
      getErrHelpWidth: () => 100,
    })
    .showHelpAfterError(`(run "${NAME} --help" for usage)`)
    .addOption(quietOption())
    .addHelpText('after', `
Exit status: 0 success, 1 a finding at or above --fail-on (check), a change that opens something
or any change with --fail-on (diff), a denied connection (reach), a Pod Security violation
(pod-security), a denied request (admit) or a failed control with --fail-on fail (evidence), 2 bad
usage or input.
Results go to stdout, diagnostics to stderr.
${WARNINGS_HELP}`);
  // --quiet is accepted before the command and after it alike.
  const quiet = (flags: { quiet?: boolean }) => flags.quiet === true || program.opts<{ quiet?: boolean }>().quiet === true;

  program.command('check')
    .description('Run the rules that cdk8s synthesis runs (Pod Security, LimitRange, quota, Service exposure, cross-tenant, one-sided, link-local and cluster-range flows) on any manifests.')
    .showHelpAfterError(`(run "${NAME} check --help" for usage)`)
    .addOption(fileOption())
    .addOption(quietOption())
    .addOption(choiceOption('--format <format>', 'the output format', CHECK_FORMATS, DEFAULT_CHECK_FORMAT))
    .addOption(choiceOption('--fail-on <severity>', 'exit 1 when an unacknowledged finding is at or above it', FAIL_ON, DEFAULT_FAIL_ON))
    .addOption(new Option('--pod-cidr <cidr>', 'a pod CIDR of the cluster, for cluster-range-flow; repeatable').argParser(cidrList))
    .addOption(new Option('--service-cidr <cidr>', 'a Service CIDR of the cluster, for cluster-range-flow; repeatable').argParser(cidrList))
    .addOption(new Option('--node-cidr <cidr>', 'a node CIDR of the cluster; repeatable').argParser(cidrList))
    .addOption(kubernetesVersionOption('(default: each label at its own version)'))
    .addHelpText('after', () => `${ruleHelp()}${CHECK_HELP}`)
    .action((flags: CheckFlags) => {
      const network = {
        podCidrs: flags.podCidr, serviceCidrs: flags.serviceCidr, nodeCidrs: flags.nodeCidr, kubernetesVersion: flags.kubernetesVersion,
      };
      setExitCode(commands.check()({ ...flags, quiet: quiet(flags), network }, io));
    });

  program.command('diff')
    .description('What a change opens: flows between namespaces, Pod Security, quotas and limit ranges, RBAC access and guardrails, '
      + 'compared between two sets of manifests (for example the synthesis of the main branch and of a pull request).')
    .showHelpAfterError(`(run "${NAME} diff --help" for usage)`)
    .addOption(manifestsOption('--base <paths...>', 'the manifests before the change').makeOptionMandatory())
    .addOption(manifestsOption('--head <paths...>', 'the manifests after the change').makeOptionMandatory())
    .addOption(quietOption())
    .addOption(choiceOption('--format <format>', 'the output format', DIFF_FORMATS, DEFAULT_DIFF_FORMAT))
    .addOption(choiceOption('--fail-on <change>', 'exit 1 when the change opens something (open) or changes anything (change)',
      DIFF_FAIL_ON, DEFAULT_DIFF_FAIL_ON))
    .option('--cluster <file>', 'a cluster file, as reach --cluster reads it: the cluster\'s ranges and network plugin (networkBackend) '
      + 'and its DNS, ingress controller and monitoring pods, for both sides')
    .addHelpText('after', DIFF_HELP)
    .action((flags: DiffFlags) => {
      setExitCode(commands.diff()({ ...flags, quiet: quiet(flags) }, io));
    });

  program.command('evidence')
    .description('Compliance evidence: per namespace, each control of the Multi-Tenancy Benchmarks, CIS Kubernetes section 5 and the '
      + 'NSA/CISA hardening guide that manifests can show, with pass, fail or not-applicable and the objects that prove it.')
    .showHelpAfterError(`(run "${NAME} evidence --help" for usage)`)
    .addOption(new Option('-f, --file <paths...>', 'manifests: YAML/JSON files, directories (read as check -f reads them) or - for stdin; '
      + 'repeatable').argParser((value: string, previous: string[] = []) => [...previous, value]).makeOptionMandatory())
    .addOption(new Option('--namespace <name>', 'cover this namespace (default: the managed ones); repeatable')
      .argParser((value: string, previous: string[] = []) => [...previous, value]))
    .addOption(quietOption())
    .addOption(choiceOption('--format <format>', 'the output format', EVIDENCE_FORMATS, DEFAULT_EVIDENCE_FORMAT))
    .addOption(choiceOption('--fail-on <status>', 'exit 1 when a control fails (evidence is for reading, so never by default)',
      EVIDENCE_FAIL_ON, DEFAULT_EVIDENCE_FAIL_ON))
    .option('--cluster <file>', 'a cluster file, as reach --cluster reads it: the cluster\'s ranges and network plugin (networkBackend), '
      + 'which the network controls read, and its DNS, ingress controller and monitoring pods')
    .addHelpText('after', EVIDENCE_HELP)
    .action((flags: EvidenceFlags) => {
      setExitCode(commands.evidence()({ ...flags, quiet: quiet(flags) }, io));
    });

  program.command('reach')
    .description('Which pods (or namespaces) can connect to which, under the NetworkPolicies and the network-policy-api tiers of a set of manifests.')
    .showHelpAfterError(`(run "${NAME} reach --help" for usage)`)
    .addOption(fileOption())
    .addOption(quietOption())
    .addOption(choiceOption('--level <level>', 'matrix of pods, of namespaces, or per namespace pair the destination pods that are '
      + 'reachable (default: pod; namespace for markdown and mermaid)', REACH_LEVELS))
    .addOption(new Option('--port <port>', `answer for this destination port only (${MIN_PORT}-${MAX_PORT}): the container port the `
      + 'destination pod listens on, not a Service port').argParser(parsePort))
    .addOption(choiceOption('--protocol <protocol>', 'protocol of --port (default: TCP)', PROTOCOLS))
    .addOption(choiceOption('--format <format>', `the output format (default: ${DEFAULT_REACH_FORMAT}; --namespace draws mermaid)`, REACH_FORMATS))
    .option('--from <source>', `source of a single connection to judge (with --to and --port): <namespace>/<pod>, a namespace (some pod of it) or ${INTERNET_NODE}`)
    .option('--to <destination>', `destination of a single connection to judge: <namespace>/<pod>, a namespace or ${INTERNET_NODE}`)
    .option('--namespace <namespace>', 'with --format mermaid: draw the pods of this namespace and what they connect with')
    .addOption(new Option('--width <columns>', `tables wider than this list the pairs that can connect instead (default: the terminal's width, else ${DEFAULT_TABLE_WIDTH})`)
      .argParser(parseWidth))
    .option('--as-enforced', 'as the cluster will be once the namespaces in monitor mode enforce: monitor-only allow-all policies left out, '
      + 'Calico staged policies enforced')
    .option('--cluster <file>', 'a cluster file (YAML or JSON, see below): add representative pods for the DNS, ingress controller and monitoring '
      + 'pods it declares, and read its pod, Service and node CIDRs')
    .addHelpText('after', REACH_HELP)
    .action((flags: ReachFlags) => {
      setExitCode(commands.reach()({ ...flags, width: flags.width ?? terminalWidth, quiet: quiet(flags) }, io));
    });

  program.command('pod-security')
    .description('Check Pods and workloads against the Pod Security Standards, like Pod Security Admission in enforce mode.')
    .showHelpAfterError(`(run "${NAME} pod-security --help" for usage)`)
    .addOption(fileOption())
    .addOption(quietOption())
    .addOption(choiceOption('--level <level>', `check every object at this level (default: the ${podSecurityLevelLabel('enforce')} label of its namespace)`,
      CHECK_LEVELS))
    .option('--version <version>', `policy version for --level: v1.0 ... ${LATEST_POD_SECURITY_VERSION} or latest (default: latest)`)
    .addOption(kubernetesVersionOption(ASSUMED_VERSION_TEXT))
    .addOption(choiceOption('--format <format>', 'the output format', POD_SECURITY_FORMATS, DEFAULT_POD_SECURITY_FORMAT))
    .addHelpText('after', POD_SECURITY_HELP)
    .action((flags: PodSecurityFlags) => {
      setExitCode(commands.podSecurity()({ ...flags, quiet: quiet(flags) }, io));
    });

  program.command('admit')
    .description('Judge objects as the API server\'s admission would: Pod Security admission and the ValidatingAdmissionPolicies of the manifests.')
    .showHelpAfterError(`(run "${NAME} admit --help" for usage)`)
    .addOption(fileOption())
    .addOption(quietOption())
    .addOption(new Option('--object <path>', 'the objects to admit, one request per document (a file, or - for stdin)').makeOptionMandatory())
    .option('--old-object <path>', 'for UPDATE: the stored objects, matched to --object by kind, namespace and name')
    .addOption(new Option('--operation <operation>', `${REQUEST_OPERATIONS_TEXT}: the request's operation`).makeOptionMandatory())
    .addOption(new Option('--user <name>', 'the user making the requests (system:serviceaccount:<ns>:<name> for a service account)').makeOptionMandatory())
    .addOption(new Option('--group <group>', 'a group of the user; repeatable').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .addOption(choiceOption('--format <format>', 'the output format', ADMIT_FORMATS, DEFAULT_ADMIT_FORMAT))
    .addOption(kubernetesVersionOption(ASSUMED_VERSION_TEXT))
    .addHelpText('after', ADMIT_HELP)
    .action((flags: AdmitFlags) => {
      setExitCode(commands.admit()({ ...flags, quiet: quiet(flags) }, io));
    });

  return program;
}

function quietOption(): Option {
  return new Option('-q, --quiet', 'print no warnings (results, errors and summaries still print)');
}

function fileOption(): Option {
  return new Option('-f, --file <path>', 'manifests: a YAML/JSON file (multi-document, kind: List), a directory (read recursively, '
    + 'skipping hidden entries, Helm charts and files without Kubernetes objects) or - for stdin; repeatable')
    .argParser((value: string, previous: string[] = []) => [...previous, value])
    .makeOptionMandatory();
}

/** A variadic option of manifest paths, repeatable too (`--base a b --base c`). */
function manifestsOption(flags: string, what: string): Option {
  return new Option(flags, `${what}: YAML/JSON files, directories (read as -f reads them) or - for stdin (one side only)`);
}

/**
 * An option taking one of `values` (case-sensitive, like the Kubernetes fields they mirror): commander
 * checks the choice and lists the values, and the default when there is one, in the help.
 */
function choiceOption<T extends string>(flags: string, description: string, values: readonly T[], fallback?: T): Option {
  const option = new Option(flags, description).choices(values);
  return fallback === undefined ? option : option.default(fallback);
}

const ASSUMED_VERSION_TEXT = `(default: ${formatKubernetesVersion(NEWEST_KUBERNETES_MINOR)}, the newest modelled, said on stderr)`;

/** The API server's version, which caps the version Pod Security labels are judged at. */
function kubernetesVersionOption(defaultText: string): Option {
  return new Option('--kubernetes-version <1.minor>', 'the cluster\'s Kubernetes version, such as 1.31: Pod Security labels are judged at '
    + `their version capped at it, as its API server does ${defaultText}`)
    .argParser((value: string) => {
      const problem = kubernetesVersionProblem(value);
      if (problem) throw new InvalidArgumentError(`${problem}.`);
      return value;
    });
}

/** A repeatable CIDR flag, read with the library's one strict parser. */
function cidrList(value: string, previous: string[] = []): string[] {
  const problem = clusterCidrProblem(value);
  if (problem) throw new InvalidArgumentError(`${problem}.`);
  return [...previous, value];
}

function parsePort(value: string): number {
  const port = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(port >= MIN_PORT && port <= MAX_PORT)) {
    throw new InvalidArgumentError(`Expected a port number between ${MIN_PORT} and ${MAX_PORT}.`);
  }
  return port;
}

function parseWidth(value: string): number {
  const width = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!(width > 0)) throw new InvalidArgumentError('Expected a positive number of columns.');
  return width;
}

const WARNINGS_HELP = `
Warnings ("namespace-guard: warning: ..." on stderr, never on stdout; --quiet drops them) say what
the answer does not cover: files a directory walk skipped (hidden entries, files without Kubernetes
objects, Helm chart sources and templates: render them first with helm template), custom resources
modelled from their spec.template, custom resources that run pods without a pod template (ignored),
network policies of other APIs (Cilium, Calico, extensions/v1beta1: not evaluated), nodes and
domainNames peers of the network-policy-api kinds (read as matching no pod), their policies of one
tier that share a priority, pods on the host network, and NetworkPolicies whose podSelector matches
no pod.`;

const REQUEST_OPERATIONS_TEXT = 'CREATE, UPDATE or DELETE';

const ADMIT_HELP = `
Requests: each document of --object is one request of --operation by --user. CREATE admits the
object; UPDATE admits it against the old object of --old-object with the same kind, namespace and
name; DELETE deletes it (CEL sees it as oldObject, and object is null). A namespaced object without
metadata.namespace is in "default"; its Namespace must be among the -f manifests (except when a
Namespace itself is created).

User: --group adds groups; like the API server, every user but system:anonymous is also in
system:authenticated (system:anonymous is in system:unauthenticated), and a service account user
system:serviceaccount:<ns>:<name> is also in system:serviceaccounts and system:serviceaccounts:<ns>.

Admission, in the API server's order:
  PodSecurity  the pod-security.kubernetes.io/{enforce,warn,audit} labels of the namespace: a Pod
               failing enforce is denied; a workload's pod template (Deployment, Job...) only draws
               warnings; audit gives audit entries; DELETE is exempt
  policies     every ValidatingAdmissionPolicy of -f bound by a ValidatingAdmissionPolicyBinding
               (matchConstraints, the binding's matchResources, matchConditions, variables,
               validations, failurePolicy); a failed validation is a denial, a warning or an audit
               entry as the binding's validationActions (Deny, Warn, Audit) say
Not simulated: RBAC authorization, the CEL authorizer (an expression using it fails), params
(paramKind/paramRef are refused), auditAnnotations, mutating admission and webhooks, and
matchPolicy Equivalent (read as Exact).

Formats:
  text  per request: ADMITTED|DENIED <kind> <namespace>/<name>, then one indented line per denial,
        warning and audit entry: "denied by <policy> (binding <binding>): <message>"
  json  one line per request:
        {"allowed":false,"kind":"Service","namespace":"shop","name":"web",
         "denials":[{"policy":"...","binding":"...","reason":"Invalid","message":"..."}],
         "warnings":[{"policy":"...","binding":"...","message":"..."}],"audits":[...]}
        (namespace is null for cluster-scoped objects, binding null for PodSecurity)

Exit status: 0 every request admitted, 1 a request denied, 2 bad usage or input (a policy whose CEL
does not compile, params, an unknown operation, a missing old object or namespace).

Examples:
  namespace-guard admit -f dist/ --object svc.yaml --operation CREATE --user alice --group dev
  namespace-guard admit -f dist/ --object new.yaml --old-object live.yaml --operation UPDATE \\
    --user system:serviceaccount:ci:deployer --format json`;

const EVIDENCE_HELP = `
Namespaces: those the library manages (labelled app.kubernetes.io/managed-by: cdk8s-namespace-guard or
namespace-guard.dev/profile); when the input has none, every namespace but kube-system, kube-public and
kube-node-lease (a warning says so); --namespace chooses (a name not in the input is an error).

Status of each control in each namespace:
  pass            the objects listed show that the control holds
  fail            something violates it or what it needs is missing: the reason names the objects, the fix
                  what to change
  not-applicable  nothing in the namespace it could apply to (only the read-only root filesystem, which no
                  admission level enforces, with no workload in the input)
Pod controls (privileged, capabilities, root, privilege escalation, hostPath, host network, PID, IPC and
ports, seccomp) pass when the namespace's pod-security.kubernetes.io/enforce level rejects such pods AND
no workload of the input has one; warn and audit labels (monitor mode) reject nothing. hostPath also
fails when a claim of the namespace (or one it may still create) is bound to, may bind or is provisioned
a hostPath or local PersistentVolume, or names a volume, claim or StorageClass the input does not hold.
Quotas: cpu, memory and ephemeral-storage each limited (requests, limits or the bare key) by a quota that
counts every pod; object counts for every kind a tenant can create (pods, services, secrets, configmaps,
persistentvolumeclaims, replicationcontrollers, resourcequotas, and count/<resource>.<group> for service
accounts, workloads, jobs, autoscalers, disruption budgets, ingresses, roles and rolebindings).
RBAC: the tenants of a namespace are the subjects its RoleBindings name, its service accounts and the
groups that stand for everyone; every RoleBinding and ClusterRoleBinding naming one is examined (wildcards
count), and a binding whose role is neither in the input nor a default ClusterRole fails. Network: a
NetworkPolicy selecting every pod with no ingress and no egress rules (one or two policies); monitor
mode's allow-all and Calico staged policies are not enforced. Tenant isolation (MTB-PL1-BC-NI-1, for
namespaces labelled namespace-guard.dev/profile: tenant): the reach analysis over the whole input, as
enforced now; no pod of another tenant's, a team's or a non-internet zone's namespace may connect to the
tenant's pods or be reached by them on any port, unless the tenant's Namespace acknowledges that
namespace (cross-tenant-flow[...] or tenant-data-access[...]). Evidence covers what the input declares.

Formats:
  markdown  a summary table (namespace by status), then per namespace: id | title | status | evidence | reason
  json      one line: {"frameworks":[{"name","source"}],"namespaces":[{"namespace":"customer1","controls":
            [{"id":"MTB-PL1-CC-FNS-1","framework":"MTB","title":"...","status":"pass","evidence":
            ["ResourceQuota customer1/namespace-quota"],"reason":"...","fix":"..."}]}],
            "summary":{"pass":N,"fail":N,"not-applicable":N}} (fix only on failures)

Exit status: 0, or 1 with --fail-on fail when a control fails; 2 bad usage or input.

Examples:
  namespace-guard evidence -f dist/ > evidence.md
  namespace-guard evidence -f dist/ --format json --namespace customer1
  kubectl get ns,deploy,sts,quota,limits,netpol,sa,roles,rolebindings,clusterroles,clusterrolebindings,pv,pvc,sc -A -o yaml \\
    | namespace-guard evidence -f - --fail-on fail`;

/**
 * The rules, one line each from the registry (wrapped under the id), read when help is shown so a
 * command does not load every rule to start.
 */
function ruleHelp(): string {
  const RULES = commands.rules();
  const width = Math.max(...RULES.map(r => r.id.length)) + 2;
  const lines = RULES.map(r => {
    const words = `${r.summary}${r.severity === 'warning' ? ' (warning)' : ''}`.split(' ');
    const wrapped: string[] = [''];
    for (const word of words) {
      const last = wrapped.length - 1;
      if (wrapped[last] !== '' && wrapped[last].length + word.length + 1 > 100 - width) wrapped.push(word);
      else wrapped[last] = wrapped[last] === '' ? word : `${wrapped[last]} ${word}`;
    }
    return wrapped.map((text, k) => `  ${(k === 0 ? r.id : '').padEnd(width)}${text}`).join('\n');
  });
  return `\nThe rules apply wherever the labels make them meaningful, whoever wrote the manifests (docs/synth-time-checks.md):\n${lines.join('\n')}\n`;
}

const CHECK_HELP = `Managed namespaces carry app.kubernetes.io/managed-by: cdk8s-namespace-guard or a namespace-guard.dev/profile label.
A namespace labelled namespace-guard.dev/enforcement: monitor only warns (but for monitored-tenant).
The rules about NetworkPolicies read Calico StagedKubernetesNetworkPolicies (projectcalico.org/v3) too,
as intended policies, and look past policies annotated namespace-guard.dev/monitor-only.

Acknowledgements: the namespace-guard.dev/acknowledged annotation of the Namespace (for the namespace
rules) or of the object the finding is about, one "<rule>[<target>,...]: <reason>" per line.

Formats:
  table  per finding: <SEVERITY> <rule>: <kind> <namespace>/<name> (<file> document <n>), then the
         message, the fix and, when acknowledged, the reason
  json   one object: {"findings":[{"rule","severity","acknowledged","reason","file","document","kind",
         "namespace","name","message","fix","target"}],"errors":N,"warnings":N}, findings sorted by file,
         document and rule; errors and warnings count the unacknowledged ones
  sarif  SARIF 2.1.0 for GitHub code scanning (one line): every rule with its descriptions, help (the
         fix) and security-severity; per finding its rule, level (error or warning), the message with
         the fix, the file relative to the working directory (run from the repository's root) and the
         line where the object starts; acknowledged findings are suppressed results with the reason.
         Objects read from stdin name no file: pass files or directories to place them.

Exit status: 0 nothing unacknowledged at or above --fail-on, 1 otherwise, 2 bad usage or input.

Examples:
  namespace-guard check -f dist/
  helm template my-release chart/ | namespace-guard check -f - --format json
  namespace-guard check -f dist/ --format sarif --fail-on never > namespace-guard.sarif
  kubectl get ns,deploy,netpol,quota,limits,svc -A -o yaml | namespace-guard check -f - --fail-on warning`;

const DIFF_HELP = `
Compared (namespaces the head no longer has are only seen in the flows):
  flows        per ordered namespace pair, the ports on which some pod of one namespace can connect to
               some pod of the other (as reach --level namespace computes them: NetworkPolicies and the
               network-policy-api tiers, as the cluster enforces them now): ports added and removed.
               Beside the namespaces: "internet" (every public address), "(other addresses)" (private,
               link-local and node addresses outside the cluster's pods and Services), the pods and
               namespaces a selector names that the input does not have yet ("<ns>/[app=admin]",
               "[team=x]"), and "(new namespace)", one that no selector names: a policy is judged by
               what it admits, not only by the pods of the input. Where the network plugin is not
               declared, also the flows that change only where it matches ipBlocks against pod
               addresses (marked so); host-network pods are outside NetworkPolicies
  addresses    per namespace, the address ranges outside the cluster (public, and other) its pods
               reach and are reached from, per port: ranges added and removed
  podSecurity  the level and version each namespace enforces (pod-security.kubernetes.io/enforce and
               enforce-version; no label admits anything, as "privileged" does)
  quota        ResourceQuota keys (several quotas: the smallest value; a scoped quota keeps its own keys)
               and LimitRange values ("LimitRange Container max.cpu"), before and after
  access       per namespace, each subject's effective permissions: the union of the rules of the roles
               its RoleBindings name, aggregated ClusterRoles gathered (Kubernetes' admin, edit and view
               known), taken apart into one verb on one resource (or object, or URL); what
               ClusterRoleBindings grant under namespace "*"; the roles bound, and the permissions
               added and removed
  roles        every Role and ClusterRole (Kubernetes' default ClusterRoles too), bound or not, by its
               effective rules: added, removed, widened, narrowed or changed
  guardrails   ValidatingAdmissionPolicies, their bindings and the cluster network policies
               (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy): added, removed
               or changed (by spec)

Opens: a flow added or widened (on every plugin, or where ipBlocks match pod addresses), an address
range outside the cluster reached (or reaching in) on a port it did not, a Pod Security level
lowered (or its version made older, or a new namespace that enforces privileged), a quota or a
LimitRange maximum raised or removed, a permission a subject did not hold anywhere before (a new
binding, a widened role, a ClusterRole aggregated into one already bound, a role the input does not
hold), a role widened or added with wide rules (a "*", bind, escalate or impersonate, writes to
quotas, limit ranges, NetworkPolicies, Roles or RoleBindings) even if nothing binds it yet, a
guardrail removed, or changed in a way not shown to only tighten it (more validations, Ignore to
Fail, Deny added, Deny rules inserted), or a cluster network policy added with rules that accept or
pass traffic.

Formats:
  markdown  for a pull-request comment: a summary line, then one section per kind of change; the
            flows as the changed cells of the namespace matrix ("before → after", ⚠️ where ports were
            added), or one row per pair beyond ${MAX_MATRIX_NAMESPACES} namespaces
  json      one line: {"flows":{"added":[{"from":"a","to":"b","ports":["TCP 8443"]}],"removed":[]},
            "addresses":{"added":[{"namespace":"a","direction":"egress","node":"internet",
            "ports":["TCP 443"],"ranges":["52.0.0.0/8"]}],"removed":[]},
            "podSecurity":[{"namespace":"a","before":{"level":"restricted","version":"v1.35"},
            "after":{"level":"baseline","version":"v1.35"}}],
            "quota":[{"namespace":"a","key":"limits.cpu","before":"4","after":"8"}],
            "access":[{"namespace":"a","subject":"Group/devs","before":["Role deployer"],
            "after":["Role deployer"],"added":["every verb on every resource of every API group"],
            "removed":[]}],
            "roles":[{"role":"Role a/deployer","change":"widened","added":[...],"removed":[],
            "widens":true}],
            "guardrails":[{"kind":"ValidatingAdmissionPolicy","name":"p","change":"removed",
            "detail":"removed","weakens":true}],"opens":true}
            (ports worded as reach's table: "TCP 8443", "all TCP", "all"; before null, or [] for
            access, for what the base does not have, after likewise for what the head removed; a
            flow that changes only where the plugin matches ipBlocks against pod addresses has
            "where"; permissions one line per resource with its verbs: "get/update on configmaps
            named app", "create on deployments.apps/scale", "get on the non-resource URL /healthz")

Exit status: 0, or 1 with --fail-on open when the change opens something, with --fail-on change when
anything changed; 2 bad usage or input.

Examples:
  namespace-guard diff --base main/dist --head dist > diff.md
  namespace-guard diff --base main/dist --head dist --format json --fail-on open`;

const REACH_HELP = `
Pods: Pod objects (finished ones left out), keyed <namespace>/<name>, and one representative pod per
Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and custom
resource with a pod template in spec.template (an Argo Rollout, a Knative Service) whose pods are not
in the input, keyed <namespace>/<workload name> (a name shared by two kinds gets an @<Kind> suffix).
A workload's pods carry the labels their controller adds (a StatefulSet's statefulset.kubernetes.io/
pod-name kafka-0, kafka-1..., a Job's batch.kubernetes.io/job-name, a Deployment's pod-template-hash,
whose value is not known): where a selector names them, the answer is for the pods it matches and
says so ("for the pods of kafka/broker with statefulset.kubernetes.io/pod-name=kafka-0").
Custom resources that run pods without a pod template (a Prometheus) and network policies other than
networking.k8s.io/v1 NetworkPolicies and the policy.networking.k8s.io tiers are left out, each with a
warning on stderr. Traffic from a pod to itself is judged by the policies like any other pair.

Tiers: AdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy (v1alpha2) of tier Admin are evaluated
first, by priority (lower first), the first matching rule deciding (Accept/Allow, Deny, or Pass to the
NetworkPolicies); then the NetworkPolicies, when one isolates the pod in that direction; else
ClusterNetworkPolicies of tier Baseline and the BaselineAdminNetworkPolicy; else allowed. Their
subjects and namespaces/pods peers never include pods on the host network. A namespace without pods or workloads is
represented by one unlabelled placeholder pod keyed <namespace>/*: it is left out of pod-level
matrices (it is not a pod), counts as that namespace's pod at namespace level, and --from/--to accept it
(asking "could a new unlabelled pod there connect?").

Ports: --port is the port the destination pod listens on (its containerPort, what NetworkPolicy
ports match), not the port of a Service in front of it: for a Service with port 80 and targetPort
8080, ask about 8080.

Namespace level: a cell is allowed when SOME pod of the source namespace can reach SOME pod of the
destination namespace (on --port; without --port, on the ports listed). One open pod is enough, so
on a real cluster most cells say so; --level exposure counts the pods instead.

Internet: namespace-level views (table, json, markdown, mermaid, exposure) end with a row and a
column "${INTERNET_NODE}": every public address outside the cluster's declared ranges (all addresses
but the special-purpose ones: private, shared, loopback, link-local, documentation, multicast...).
Like a namespace stands for its pods, it stands for its addresses: a cell is allowed when SOME public
address can, and --from/--to name the ranges that can ("internet (52.0.0.0/8)"). ipBlock rules (and
networks peers of the tiers) are matched against the part of it they hold, excepts subtracted, so
egress to 0.0.0.0/1 or to 52.0.0.0/8 shows, and an Admin tier Deny of some ranges leaves the rest.
It has no policies of its own (its egress and ingress are unrestricted), and no namespaceSelector or
podSelector selects it. Its row is what the policies let in from the internet (an internet-facing
zone's exposure), its column what may go out to it; its cell with itself is "-" (left out of json),
and mermaid draws it as a circle. It is not a pod: pod-level matrices leave it out, --from/--to
accept it. The policies' answer is not the whole story: traffic from the internet reaches a pod
only through what exposes it (a LoadBalancer Service, an ingress controller keeping the client
address). When the input has a namespace called ${INTERNET_NODE}, the node is called
${INTERNET_NODE_FALLBACK} (a warning says so).

Pod addresses: pods have addresses too, and ipBlocks can hold them. The tiers' networks peers always
match them (the network-policy-api says so); whether a NetworkPolicy ipBlock does is up to the network
plugin: Calico matches pod and node addresses, Cilium never does. Declare it with networkBackend in
--cluster; without it, what an ipBlock admits only where the plugin matches pod addresses is said as
"allowed where ipBlocks match pod addresses", never "denied". A pod without status.podIP may have any
address of the declared pod range (nodes: the node range; without one, the private ranges are
assumed, and said so).

Host network: pods with hostNetwork: true use the node's network, which NetworkPolicies do not cover
on most plugins: no NetworkPolicy isolates them and no selector selects them as a peer.

Exposure level: per ordered namespace pair, how many pods of the destination namespace some pod of
the source namespace can reach (on --port, or on some port), e.g. "3/12", "-" for a namespace
without pods; the table then lists, per pair, the reachable pods (and their ports without --port).

Formats (rows are sources, columns destinations):
  table     with --port, ${'\u2713'} allowed or ${'\u2717'} denied per cell; without --port, the ports allowed
            ("TCP 53, UDP 53", "all TCP", "all", "none"); what only a plugin matching ipBlocks against
            pod addresses allows is marked ${'\u2713'}* or added as "(+TCP 5432*)"; a table wider than --width prints one
            "<from>  <to>  <cell>" line per ordered pair that can connect instead, under a
            "from  to  ..." header, then "(<n> other ordered pairs: ...)" for the pairs that cannot
  json      needs --port; one line, every ordered pair (a pod to itself included), keys sorted:
            {"level":"pod","port":80,"protocol":"TCP","allowed":{"<ns>/<pod>":{"<ns>/<pod>":true}}}
            (at --level namespace the keys are namespace names and "${INTERNET_NODE}"; a cell allowed only
            where the plugin matches ipBlocks against pod addresses is "where-ipblocks-match-pods")
            at --level exposure (--port optional; port and protocol are null without it):
            {"level":"exposure","port":80,"protocol":"TCP","exposed":{"<from ns>":{"<to ns>":
             {"pods":12,"reachable":{"<to ns>/<pod>":"TCP 80"}}}}}
            (pods counts the destination's pods; reachable maps each reachable one to its ports)
  markdown  the namespace matrix as a markdown table
  mermaid   a "flowchart LR" with an edge per namespace pair with allowed traffic (no self edges),
            labelled with the ports when --port is not given; with --namespace <ns>, the pods of
            <ns> in a subgraph, the flows between them, and an edge from each other namespace
            that can reach one of its pods and to each other namespace one of its pods can reach

Monitor mode: by default every answer is what the cluster lets through now, which in a namespace in
monitor mode is not what its policies say: the allow-all policy the library writes there
(annotated namespace-guard.dev/monitor-only) lets everything through, and Calico staged policies
(projectcalico.org/v3 StagedKubernetesNetworkPolicy) are reported by Calico, not enforced. A warning
says when the input has such policies. --as-enforced answers as the cluster will be once they
enforce (the allow-all left out, each staged policy enforced as the NetworkPolicy of the same name):
compare the two to see what enforcement would block.

One connection: --from X --to Y --port N [--protocol P], each of X and Y a pod (<ns>/<pod>), a
namespace (some pod of it) or ${INTERNET_NODE}, prints "allowed" or "denied"; when a side is a
namespace, then the pod pair that answers and how many pairs can ("shop/web can reach billing/api on
TCP/8443: 1 of 4 pod pairs from shop to billing can."), or for a denial the pair closest to being
allowed (one side admits it); then, for that pair, one sentence per side: for egress (the source)
and ingress (the destination), which policies isolate the pod and which rule admits the traffic, or,
rule by rule, why none does (wrong port, a namespaceSelector or podSelector that does not match the
other pod, an ipBlock). With the internet, a last line names the public addresses that can ("Addresses
of internet reached on TCP/443: 52.0.0.0/8."). When the answer depends on an undeclared network
plugin, the first line is "allowed where the network plugin matches ipBlocks against pod addresses
(...)", then that answer's sentences, then what it is on the other plugins.

Cluster file: --cluster <file> declares what a ClusterProfile declares and manifests do not hold,
one YAML (or JSON) document with any of these fields:
  dns                 kubeDns: {namespaceName, podLabels} (default: kube-system, k8s-app: kube-dns;
                      {} for the defaults) and/or nodeLocal: <address> (a NodeLocal DNSCache: an
                      address, not a pod, so nothing is added for it); default: kubeDns: {}
  ingressController   {namespaceName, podLabels}, or a list of them (podLabels absent: every pod
                      of the namespace)
  monitoring          the same
  podCidrs, serviceCidrs, nodeCidrs   lists of CIDRs: pods without status.podIP have an address of
                      podCidrs (host-network pods of nodeCidrs); without them, of the private ranges
  networkBackend      calico, cilium or kubernetes (any other plugin, the default): whether NetworkPolicy
                      ipBlocks match pod and node addresses (Calico: yes, Cilium: no, any other: not known)
  kubernetesVersion   the API server's version, quoted ("1.31"): Pod Security labels are judged at their
                      version capped at it (evidence); default: each at its own
For each declared service that no Pod or workload of -f matches, a representative pod is added
(<namespace>/<app label>, e.g. kube-system/kube-dns with container ports dns UDP 53 and dns-tcp
TCP 53), as ConnectivityReport does for a ClusterProfile, and a warning lists them. The declared
CIDRs are left out of the internet node. Unknown fields and bad values are errors
(exit 2) naming the file and the field. Example:
${CLUSTER_FILE_EXAMPLE.split('\n').map(line => `  ${line}`).join('\n')}

Exit status: 0 success (with --from/--to: allowed, also where the plugin decides), 1 denied (with --from/--to), 2 bad usage or input.

Examples:
  kubectl get ns,pods,netpol -A -o yaml | namespace-guard reach -f - --port 443 --format json
  namespace-guard reach -f dist/ --level namespace --format mermaid
  namespace-guard reach -f dump.yaml --level exposure --port 8080
  namespace-guard reach -f dump.yaml --namespace shop --format mermaid
  namespace-guard reach -f dump.yaml --from shop/web --to shop/db --port 5432
  namespace-guard reach -f dump.yaml --from shop --to billing --port 8443
  namespace-guard reach -f dump.yaml --from ${INTERNET_NODE} --to shop/web --port 443
  namespace-guard reach -f dist/ --level namespace --cluster cluster.yaml --format mermaid
  namespace-guard reach -f dist/ --level namespace --as-enforced`;

const POD_SECURITY_HELP = `
Checks every Pod and every object with a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController, Job, CronJob, PodTemplate, and custom resources with a pod spec such as an
Argo Rollout's spec.template) as Pod Security Admission does in enforce mode. Custom resources that
run pods without a pod spec (a Prometheus) cannot be checked: each such kind gets a warning.

Level: with --level, every object is checked at that level and --version (default latest). Without
--level, each object is checked against the ${podSecurityLevelLabel('enforce')} and
${podSecurityVersionLabel('enforce')} (default latest) labels of its Namespace in the input.
Objects without metadata.namespace are in "default", where kubectl creates them. Objects whose
namespace is not in the input or has no enforce label are skipped and listed on stderr (they do
not count as denied). As in the admission plugin, an invalid level label means restricted and an
invalid or too new version label means latest.

Kubernetes version: an API server judges a label at its version capped at the server's own
(latest is its own). --kubernetes-version 1.31 judges as that server does; without it 1.37, the
newest modelled, is assumed (each label at its own version), and a warning says so.

Formats:
  table  per object: ALLOWED|DENIED <kind> <namespace>/<name> [<level>:<version>] (<file> document <n>),
         then one indented line per violation: - <check> at <field path>: <message>
  json   one line, one entry per checked object in input order:
         [{"file":"<path>","kind":"Pod","namespace":"<ns>","name":"<name>","level":"restricted",
           "version":"latest","levelSource":"flag","judgedVersion":"v1.37","kubernetesVersion":"1.37",
           "kubernetesVersionAssumed":true,"allowed":false,
           "violations":[{"check":"<id>","path":"<field path>","message":"<text>"}]}]
         level and version are what the object was checked against (version latest or v1.N;
         latest is ${LATEST_POD_SECURITY_VERSION}, the newest modelled); levelSource says where they come from:
         "flag" (--level and --version) or "namespace-label" (the enforce labels of its Namespace,
         as read: an invalid level label reads as restricted, an invalid or too new version as latest)

Exit status: 0 everything checked is allowed, 1 something is denied, 2 bad usage or input.

Examples:
  namespace-guard pod-security -f dist/ --level restricted
  kubectl get ns,pods -A -o yaml | namespace-guard pod-security -f - --format json`;
