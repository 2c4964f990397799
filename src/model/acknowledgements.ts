// Acknowledgements travel in the manifests, as the `namespace-guard.dev/acknowledged` annotation of
// the object they cover (the Namespace for namespace rules, the workload, Service, Ingress,
// RoleBinding, Secret or ServiceAccount for the rules about it). One acknowledgement per line:
//
//   namespace-guard.dev/acknowledged: |-
//     cross-tenant-flow[customer2]: billing reads invoices from customer2 by contract
//     pod-security[hostPathVolumes,runAsNonRoot]: legacy agent, replaced in PLAT-123
//     privileged-pod-security: node agents need host access
//
// `<rule id>[<target>,...]: <reason>`; without brackets the acknowledgement covers every target of
// the rule on that object. What a target names depends on the rule (another tenant's namespace, a
// Pod Security check, a container, a quota key).

/** Findings of one rule on one object accepted with a written reason. */
export interface Acknowledgement {
  /** The rule id. */
  readonly rule: string;
  /** The targets it covers, sorted; empty for every target of the rule. */
  readonly appliesTo: readonly string[];
  /** Why the findings are acceptable. */
  readonly reason: string;
}

/** The shortest acknowledgement reason accepted. */
export const MIN_REASON_LENGTH = 10;

const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TARGET = /^[A-Za-z0-9][A-Za-z0-9_./:-]*$/;
const LINE = /^([^\s[\]:]+)(?:\[([^\]]*)\])?:(.*)$/;

/** Why `reason` cannot be an acknowledgement reason, or undefined. */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    return `needs a reason of at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(reason)}`;
  }
  if (/[\r\n]/.test(reason)) {
    return 'needs a reason on one line (it is written as one line of an annotation)';
  }
  return undefined;
}

/** Why `target` cannot be named in `appliesTo`, or undefined. */
export function targetProblem(target: unknown): string | undefined {
  if (typeof target !== 'string' || !TARGET.test(target)) {
    return `appliesTo entry ${JSON.stringify(target)} is not a name (letters, digits and "-", "_", ".", "/", ":")`;
  }
  return undefined;
}

/** Why `rule` is not shaped like a rule id, or undefined. */
export function ruleIdProblem(rule: unknown): string | undefined {
  return typeof rule === 'string' && RULE_ID.test(rule) ? undefined : `${JSON.stringify(rule)} is not a rule id`;
}

/** An acknowledgement with its targets sorted and de-duplicated, and its reason trimmed. */
export function acknowledgement(rule: string, reason: string, appliesTo: readonly string[] = []): Acknowledgement {
  return { rule, appliesTo: [...new Set(appliesTo)].sort(), reason: reason.trim() };
}

/**
 * Reads an annotation value. Throws an Error naming the line for anything malformed, and for the
 * same rule and target acknowledged twice with different reasons.
 */
export function parseAcknowledgements(text: string): Acknowledgement[] {
  const acks: Acknowledgement[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `line ${i + 1} ${JSON.stringify(line)}`;
    const match = LINE.exec(line);
    if (!match) {
      throw new Error(`${where} is not "<rule id>: <reason>" or "<rule id>[<target>,...]: <reason>"`);
    }
    const [, rule, targets, reason] = match;
    const problem = ruleIdProblem(rule)
      ?? reasonProblem(reason)
      ?? (targets === undefined ? undefined : targets.split(',').map(t => targetProblem(t.trim())).find(p => p !== undefined));
    if (problem) throw new Error(`${where}: ${problem}`);
    acks.push(acknowledgement(rule, reason, targets === undefined ? [] : targets.split(',').map(t => t.trim())));
  });
  const conflict = firstConflict(acks);
  if (conflict) throw new Error(conflict);
  return acks;
}

/** The annotation value for a set of acknowledgements: one sorted line each. */
export function renderAcknowledgements(acks: readonly Acknowledgement[]): string {
  const lines = acks.map(a => `${a.rule}${a.appliesTo.length > 0 ? `[${a.appliesTo.join(',')}]` : ''}: ${a.reason}`);
  return [...new Set(lines)].sort().join('\n');
}

/**
 * Describes the first pair of acknowledgements that give the same rule and target different
 * reasons, or returns undefined.
 */
export function firstConflict(acks: readonly Acknowledgement[]): string | undefined {
  const reasons = new Map<string, string>();
  for (const a of acks) {
    for (const target of a.appliesTo.length > 0 ? a.appliesTo : [undefined]) {
      const key = `${a.rule}[${target ?? '*'}]`;
      const known = reasons.get(key);
      if (known !== undefined && known !== a.reason) {
        const what = target === undefined ? `"${a.rule}"` : `"${a.rule}" for "${target}"`;
        return `${what} is acknowledged twice with different reasons (${JSON.stringify(known)} and ${JSON.stringify(a.reason)}); keep one reason`;
      }
      reasons.set(key, a.reason);
    }
  }
  return undefined;
}

/**
 * The acknowledgement that covers a finding of `rule` about `target` (undefined for findings without
 * a target): one that names the target, else one without targets.
 */
export function coveringAcknowledgement(acks: readonly Acknowledgement[], rule: string, target: string | undefined): Acknowledgement | undefined {
  const ofRule = acks.filter(a => a.rule === rule);
  return (target === undefined ? undefined : ofRule.find(a => a.appliesTo.includes(target)))
    ?? ofRule.find(a => a.appliesTo.length === 0);
}
