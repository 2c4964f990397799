// Runs the rules over a cluster model and settles each finding: its severity (a namespace in
// monitor mode only warns, but for rules that keep their severity there) and the acknowledgement that covers it, if any.
import { RULES } from './all-rules';
import { holderKinds, Rule } from './rule';
import { FindingSeverity } from './rule-id';
import { Acknowledgement, coveringAcknowledgement } from '../model/acknowledgements';
import { ClusterModel, ModelObject, Workload } from '../model/cluster-model';
import { describeOrigin, ManifestError } from '../model/manifests';
import { isCustomWorkloadKind } from '../model/pod-template';
import { compareText } from '../private/json';

/** A finding of a rule about one object of the model. */
export interface RuleFinding {
  readonly rule: Rule;
  /** The rule's severity, or a warning when the namespace is in monitor mode (unless the rule keeps its severity there). */
  readonly severity: FindingSeverity;
  /** The namespace is in monitor mode. */
  readonly monitored: boolean;
  readonly object: ModelObject;
  readonly namespace: string;
  readonly target?: string;
  readonly message: string;
  readonly fix: string;
  /** The acknowledgement that accepts the finding, if any. */
  readonly acknowledgement?: Acknowledgement;
}

/**
 * Every finding of the rules, ordered by the position of the object in the input, then by rule id.
 * Throws a ManifestError when an acknowledgement in the input is not valid for its rule.
 */
export function evaluateRules(model: ClusterModel, rules: readonly Rule[] = RULES): RuleFinding[] {
  checkAcknowledgements(model, rules);
  const findings: RuleFinding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check(model)) {
      const ns = model.namespace(hit.namespace);
      const holder = rule.acknowledgedOn === 'namespace' ? ns?.object : hit.object;
      const monitored = ns?.monitored ?? false;
      findings.push({
        rule,
        severity: monitored && !rule.keepsSeverityInMonitorMode ? FindingSeverity.WARNING : rule.severity,
        monitored,
        object: hit.object,
        namespace: hit.namespace,
        ...(hit.target === undefined ? {} : { target: hit.target }),
        message: hit.message,
        fix: hit.fix,
        acknowledgement: holder ? coveringAcknowledgement(holder.acknowledgements, rule.id, hit.target) : undefined,
      });
    }
  }
  // A stable sort: within one object and rule, the rule's own order stays.
  return findings.sort((a, b) => a.object.position - b.object.position || compareText(a.rule.id, b.rule.id));
}

/** Why an acknowledgement cannot be valid for `rule` on an object of `kind`, or undefined. */
function acknowledgementProblem(ack: Acknowledgement, object: ModelObject, rules: readonly Rule[] = RULES): string | undefined {
  const kind = object.kind;
  const rule = rules.find(r => r.id === ack.rule);
  if (!rule) {
    return `acknowledges "${ack.rule}", which is no rule; use one of ${rules.map(r => r.id).join(', ')}`;
  }
  const holders = holderKinds(rule);
  if (!holders.includes(kind) && !(isCustomWorkload(object) && holders.includes('Pod'))) {
    const where = rule.acknowledgedOn === 'namespace' ? 'the Namespace' : `the object it is about (${holders.join(', ')})`;
    return `acknowledges "${rule.id}" on a ${kind}, but its findings are acknowledged on ${where}`;
  }
  if (rule.target === undefined && ack.appliesTo.length > 0) {
    return `acknowledges "${rule.id}" for ${ack.appliesTo.map(t => `"${t}"`).join(', ')}, but its findings have no targets to name; remove appliesTo`;
  }
  if (rule.targetRequired && ack.appliesTo.length === 0) {
    return `acknowledges "${rule.id}" without naming ${rule.target}: a blanket acknowledgement would also accept every future one; name each target`;
  }
  return undefined;
}

/** A custom resource modelled as a workload (a Rollout) holds the acknowledgements of the rules about workloads. */
function isCustomWorkload(object: ModelObject): boolean {
  return 'workloadKind' in object && isCustomWorkloadKind((object as Workload).workloadKind);
}

function checkAcknowledgements(model: ClusterModel, rules: readonly Rule[]): void {
  for (const object of model.objects) {
    for (const ack of object.acknowledgements) {
      const problem = acknowledgementProblem(ack, object, rules);
      if (problem) {
        throw new ManifestError(`${describeOrigin(object.manifest)}: ${object.kind} ${object.name}: ${problem}`, object.manifest.source, object.manifest.document);
      }
    }
  }
}
