import { IConstruct } from 'constructs';
import { guardError } from '../errors';
import { MIN_REASON_LENGTH, RuleId } from './finding';

// Acknowledgements per construct: rule id → reason.
const STORE = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that findings of `ruleId` on `scope` (and everything inside it) are accepted.
 * @internal
 */
export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  if (!RuleId.all().includes(ruleId)) {
    throw guardError(scope, `acknowledge("${ruleId}") names no known rule`, `use one of ${RuleId.all().map(r => `"${r}"`).join(', ')}`);
  }
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    throw guardError(scope, `acknowledge("${ruleId}") needs a reason of at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(reason)}`,
      'write down why the finding is acceptable, for example "billing reads invoices from customer1 by contract"');
  }
  let acks = STORE.get(scope);
  if (!acks) {
    acks = new Map();
    STORE.set(scope, acks);
  }
  acks.set(ruleId, reason.trim());
}

/**
 * The reason a finding of `ruleId` on `scope` was acknowledged with, looking at the construct
 * and its ancestors; undefined when it was not.
 * @internal
 */
export function acknowledgedReason(scope: IConstruct, ruleId: string): string | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    const reason = STORE.get(c)?.get(ruleId);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/**
 * The acknowledgements made directly on `scope`, sorted by rule id.
 * @internal
 */
export function acknowledgementsOn(scope: IConstruct): Array<[string, string]> {
  return [...(STORE.get(scope)?.entries() ?? [])].sort(([a], [b]) => a.localeCompare(b));
}
