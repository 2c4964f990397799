// Default deny, as the cluster enforces it: the namespace's NetworkPolicies select every pod and
// deny both directions, and nothing reopens it. "Reopens" is read from the reachability analysis
// over the whole input (the Admin and Baseline tiers included): some pod of the namespace, one
// created later included, can be reached from, or can reach, a pod of a namespace that no policy
// names (a namespace created later), or every port of some public address; or it runs on the host
// network, which NetworkPolicies do not cover. A declared flow names its peers and ports: the only
// flow to every namespace the library writes is an operations zone's, on its declared ports.
import { reachabilityOf, ruleOwners } from './reachability';
import { listText, ref, refs } from './refs';
import { ControlContext, ControlResult } from './types';
import { ClusterModel, Namespace, NetworkPolicy } from '../../model/cluster-model';
import { Direction, DIRECTIONS, EXPOSURE_LABEL, Exposure, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../model/vocabulary';
import { NEW_NAMESPACE, PortSet, ReachabilityModel, UnitInfo, Verdict, WHERE_IPBLOCKS_MATCH_PODS } from '../reachability';

/** A policy that selects every pod and denies one direction: it affects it and has no rule for it. */
function deniesAll(p: NetworkPolicy, direction: Direction): boolean {
  const affects = direction === 'ingress' ? p.policy.affectsIngress : p.policy.affectsEgress;
  return p.policy.podSelector.matchesEverything && affects && p.policy[direction].length === 0;
}

/**
 * The library's own flows to every pod that a namespace's posture declares: an operations zone's
 * egress to every namespace on its ports (never on every port). They are set aside when asking
 * what reopens the namespace, and named in the reason.
 */
function postureFlows(ns: Namespace): NetworkPolicy[] {
  if (ns.labels[EXPOSURE_LABEL] !== Exposure.OPERATIONS) return [];
  return ns.networkPolicies.filter(p => p.labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && !p.monitorOnly && !p.policy.affectsIngress
    && p.policy.egress.length > 0 && p.policy.egress.every(r => r.ports !== undefined));
}

/** One way the namespace is open: what, and the objects and rules that open it. */
interface Opening {
  readonly text: string;
  readonly objects: readonly string[];
}

/** The rules (or tier decision) that let a verdict through, with the objects they belong to. */
function admittedBy(verdict: Verdict, owners: ReadonlyMap<string, NetworkPolicy>): { rules: string; objects: string[] } {
  const sides = [verdict.egress, verdict.ingress];
  const tier = sides.map(s => s.admin ?? s.baseline).find(d => d !== undefined && d.action !== 'Deny');
  const rules = sides.flatMap(s => s.allowingRules);
  const policies = refs(rules.map(r => owners.get(r)));
  const unisolated = sides.every(s => !s.isolated) ? ['no NetworkPolicy isolates it'] : [];
  const text = [...(rules.length > 0 ? [rules.join(', ')] : []), ...(tier ? [tier.text] : []), ...unisolated].join('; ');
  return { rules: text, objects: [...new Set([...policies, ...(tier ? [tier.policy] : [])])] };
}

/** Whether (and how) some unit of the namespace connects with `peer` in one direction, on some port. */
function openingWith(
  model: ReachabilityModel, owners: ReadonlyMap<string, NetworkPolicy>,
  units: readonly UnitInfo[], peer: readonly UnitInfo[], direction: Direction, what: string,
): Opening | undefined {
  let ports = PortSet.NONE;
  for (const u of units) {
    for (const p of peer) ports = ports.union(direction === 'ingress' ? model.unitPorts(p, u) : model.unitPorts(u, p));
  }
  if (ports.isEmpty) return undefined;
  const first = ports.ranges()[0];
  const verdict = direction === 'ingress' ? model.judgeUnits(peer, units, first.from, first.protocol) : model.judgeUnits(units, peer, first.from, first.protocol);
  const by = admittedBy(verdict, owners);
  const flow = direction === 'ingress' ? `${what} can reach ${verdict.to}` : `${verdict.from} can reach ${what}`;
  return { text: `${flow} on ${ports.isAll ? 'every port' : ports.toString()}${by.rules ? ` (${by.rules})` : ''}`, objects: by.objects };
}

/**
 * CIS 5.3.2 read strictly and the guide's default deny: every pod is isolated for ingress and
 * egress by the namespace's enforced NetworkPolicies, and the reachability analysis shows nothing
 * reopening it (see the file's comment). Monitor mode's allow-all and Calico staged policies are not
 * enforced, so they show nothing.
 */
export function defaultDeny({ model, namespace: ns }: ControlContext): ControlResult {
  const enforced = ns.networkPolicies.filter(p => !p.staged && !p.monitorOnly);
  const deny = DIRECTIONS.map(d => ({ direction: d, policies: enforced.filter(p => deniesAll(p, d)) }));
  const missing = deny.filter(d => d.policies.length === 0).map(d => d.direction);
  const allowAll = ns.networkPolicies.filter(p => p.monitorOnly);
  const staged = ns.networkPolicies.filter(p => p.staged && DIRECTIONS.some(d => deniesAll(p, d)));
  const evidence = refs(deny.flatMap(d => d.policies));
  const problems: Opening[] = [
    ...(missing.length > 0 ? [{ text: `no enforced NetworkPolicy of ${ns.name} selects every pod and denies all ${missing.join(' and ')}`, objects: [] }] : []),
    ...allowAll.map(p => ({ text: `${ref(p)} lets all traffic through (monitor mode)`, objects: [ref(p)] })),
    ...staged.map(p => ({ text: `${ref(p)} is a Calico staged policy: reported, not enforced`, objects: [ref(p)] })),
  ];
  const declared = postureFlows(ns);
  if (missing.length === 0 && allowAll.length === 0) problems.push(...reopenings(model, ns, declared));
  if (problems.length === 0) {
    // Pods to come are tried by the combinations of labels the selectors name, or one per selector when those are too many.
    const later = reachabilityOf(model, declared).anticipationPartial ? 'a later one that carries the labels of one of the selectors' : 'a later one';
    const posture = declared.length === 0 ? ''
      : `; ${listText(refs(declared))} ${declared.length === 1 ? 'is' : 'are'} the operations posture's declared egress to every namespace on named ports`;
    return {
      status: 'pass',
      evidence: [...evidence, ...refs(declared)],
      reason: `${listText(evidence)} select${evidence.length === 1 ? 's' : ''} every pod of ${ns.name} and allow${evidence.length === 1 ? 's' : ''} no ingress and no egress, `
        + `and nothing in the input reopens it: no pod of it, ${later} included, is open to or from a namespace no policy names or to every port of a public address${posture}`,
    };
  }
  return {
    status: 'fail',
    evidence: [...new Set([...refs(deny.flatMap(d => d.policies)), ...refs([...allowAll, ...staged]), ...problems.flatMap(p => p.objects)])],
    reason: problems.map(p => p.text).join('; '),
    fix: allowAll.length > 0 || staged.length > 0
      ? 'switch the namespace to enforcement (Enforcement.ENFORCE) once the monitor-mode reports are clean'
      : missing.length > 0
        ? 'add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules, then allow the flows the namespace needs'
        : 'remove the rules that open the namespace to every namespace or every address (and what gives it Admin tier Accept rules), '
          + 'declare each flow with its peers and ports, and run pods off the host network',
  };
}

/** What reopens a namespace behind its default deny (see the file's comment). */
function reopenings(cluster: ClusterModel, ns: Namespace, declared: readonly NetworkPolicy[]): Opening[] {
  const found: Opening[] = [];
  const host = ns.workloads.filter(w => w.hostNetwork);
  for (const w of host) {
    found.push({ text: `${ref(w)} runs on the host network, where NetworkPolicies do not apply on most network plugins`, objects: [ref(w)] });
  }
  const owners = ruleOwners(cluster);
  const check = (model: ReachabilityModel, condition: string) => {
    const own = model.namespaces.find(n => n.name === ns.name && n.external !== true);
    const stranger = model.namespaces.find(n => n.name === NEW_NAMESPACE);
    if (!own || !stranger) return;
    const units = own.units.filter(u => u.hostNetwork !== true);
    const what = 'a pod of a namespace no policy names';
    for (const direction of DIRECTIONS) {
      const opening = openingWith(model, owners, units, stranger.units, direction, what);
      if (opening) found.push({ ...opening, text: `${opening.text}${condition}` });
    }
    const internet = model.internet;
    if (internet) {
      for (const direction of DIRECTIONS) {
        const every = model.addressReach(units, internet, direction).filter(r => r.ports.isAll);
        if (every.length === 0) continue;
        const opening = openingWith(model, owners, units, internet.units.filter(u => every.some(r => r.addresses.covers(u.addresses))), direction, 'the internet');
        if (opening) found.push({ ...opening, text: `${opening.text}${condition}` });
      }
    }
  };
  const model = reachabilityOf(cluster, declared);
  check(model, '');
  if (model.whereIpBlocksMatchPods) {
    const before = found.length;
    check(model.whereIpBlocksMatchPods, ` ${WHERE_IPBLOCKS_MATCH_PODS}`);
    // Only what the plugin adds: the same opening on every plugin is said once.
    const seen = new Set(found.slice(0, before).map(f => f.text));
    found.splice(before, found.length - before, ...found.slice(before).filter(f => !seen.has(f.text.replace(` ${WHERE_IPBLOCKS_MATCH_PODS}`, ''))));
  }
  return found;
}
