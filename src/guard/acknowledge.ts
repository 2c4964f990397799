// Acknowledgements made on constructs. They are kept as node metadata of the construct they were
// made on, and written at synthesis into the `namespace-guard.dev/acknowledged` annotation of every
// object they cover, so that the rules (and the CLI, later) read them from the manifests.
import { IConstruct } from 'constructs';
import { AcknowledgeOptions } from './acknowledge-options';
import { acknowledgement, Acknowledgement, firstConflict, reasonProblem, targetProblem } from '../model/acknowledgements';
import { guardError } from '../private/errors';
import { RULES, ruleById } from '../rules/all-rules';

const METADATA_TYPE = 'namespace-guard:acknowledgement';

/** Records that findings of `ruleId` on the objects inside `scope` are accepted, after checking the request. */
export function recordAcknowledgement(scope: IConstruct, ruleId: string, reason: string, options: AcknowledgeOptions = {}): void {
  const call = `acknowledge("${ruleId}")`;
  const rule = ruleById(ruleId);
  if (!rule) {
    throw guardError(scope, `${call} names no known rule`, `use one of ${RULES.map(r => `"${r.id}"`).join(', ')}`);
  }
  const problem = reasonProblem(reason);
  if (problem) {
    throw guardError(scope, `${call} ${problem}`, 'write down why the finding is acceptable, for example "billing reads invoices from customer1 by contract"');
  }
  const appliesTo = options?.appliesTo ?? [];
  if (!Array.isArray(appliesTo)) {
    throw guardError(scope, `${call}: appliesTo must be a list of names`, 'pass appliesTo: ["customer2"]');
  }
  const targetIssue = appliesTo.map(targetProblem).find(p => p !== undefined);
  if (targetIssue) {
    throw guardError(scope, `${call}: ${targetIssue}`, 'name each target exactly, for example appliesTo: ["customer2"]');
  }
  if (rule.target === undefined && appliesTo.length > 0) {
    throw guardError(scope, `${call}: "${rule.id}" findings have no targets, so appliesTo cannot name any`, 'remove appliesTo');
  }
  if (rule.targetRequired && appliesTo.length === 0) {
    throw guardError(scope, `${call} must name ${rule.target}: a blanket acknowledgement would also accept every future flow`,
      `list them, for example acknowledge("${rule.id}", "${reason}", { appliesTo: ["customer2"] })`);
  }
  const ack = acknowledgement(rule.id, reason, appliesTo);
  const conflict = firstConflict([...acknowledgementsOn(scope), ack]);
  if (conflict) {
    throw guardError(scope, `${call}: ${conflict}`, 'acknowledge each rule and target once');
  }
  scope.node.addMetadata(METADATA_TYPE, ack);
}

/** The acknowledgements made directly on `scope`. */
export function acknowledgementsOn(scope: IConstruct): Acknowledgement[] {
  return scope.node.metadata.filter(m => m.type === METADATA_TYPE).map(m => m.data as Acknowledgement);
}
