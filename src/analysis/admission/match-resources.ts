// matchConstraints of a policy and matchResources of a binding: the selectors and rules that decide
// whether a request is in scope, checked in the API server's order (namespace, object, exclusions, rules).
import { AdmissionAttributes } from './attributes';
import { anyRuleMatches, parseResourceRules, ResourceRule } from './rules';
import { Labels, LabelSelector } from '../../model/labels';
import { FieldError } from '../../model/manifests';
import { isRecord } from '../../private/json';

export interface MatchResources {
  readonly namespaceSelector: LabelSelector;
  readonly objectSelector: LabelSelector;
  /** Empty in a binding: no constraint beyond the policy's own. */
  readonly resourceRules: readonly ResourceRule[];
  readonly excludeResourceRules: readonly ResourceRule[];
}

/**
 * Reads matchConstraints (`forPolicy`: resourceRules required) or a binding's matchResources.
 * matchPolicy is accepted but always read as Exact: offline there is no discovery to find the
 * equivalent versions and groups of a resource.
 */
export function parseMatchResources(raw: unknown, path: string, forPolicy: boolean): MatchResources {
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping');
  const matchPolicy = raw.matchPolicy ?? 'Equivalent';
  if (matchPolicy !== 'Equivalent' && matchPolicy !== 'Exact') {
    throw new FieldError(`${path}.matchPolicy`, `must be Equivalent or Exact, not ${JSON.stringify(matchPolicy)}`);
  }
  const resourceRules = parseResourceRules(raw.resourceRules, `${path}.resourceRules`);
  if (forPolicy && resourceRules.length === 0) {
    throw new FieldError(`${path}.resourceRules`, 'is required: a policy matches only the resources its rules name');
  }
  return {
    namespaceSelector: selector(raw.namespaceSelector, `${path}.namespaceSelector`),
    objectSelector: selector(raw.objectSelector, `${path}.objectSelector`),
    resourceRules,
    excludeResourceRules: parseResourceRules(raw.excludeResourceRules, `${path}.excludeResourceRules`),
  };
}

function selector(raw: unknown, path: string): LabelSelector {
  return raw === undefined || raw === null ? LabelSelector.EVERYTHING : LabelSelector.parse(raw, path);
}

/** Whether a request is in scope of the match fields. */
export function matchesResources(match: MatchResources, attributes: AdmissionAttributes): boolean {
  return namespaceSelectorMatches(match.namespaceSelector, attributes.namespaceLabels)
    && objectSelectorMatches(match.objectSelector, attributes)
    && !anyRuleMatches(match.excludeResourceRules, attributes)
    && (match.resourceRules.length === 0 || anyRuleMatches(match.resourceRules, attributes));
}

/** `namespaceLabels` is undefined for cluster-scoped objects other than Namespaces, which every namespaceSelector matches. */
function namespaceSelectorMatches(selectorToMatch: LabelSelector, namespaceLabels: Labels | undefined): boolean {
  return namespaceLabels === undefined || selectorToMatch.matchesEverything || selectorToMatch.matches(namespaceLabels);
}

/** The new object's labels or the old object's: either is enough, as in the API server (an absent object matches nothing). */
function objectSelectorMatches(selectorToMatch: LabelSelector, attributes: AdmissionAttributes): boolean {
  if (selectorToMatch.matchesEverything) return true;
  return [attributes.objectLabels, attributes.oldObjectLabels].some(labels => labels !== null && selectorToMatch.matches(labels));
}
