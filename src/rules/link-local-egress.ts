import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { PolicyRule } from '../model/network-policy';
import { NETWORK_POLICY_KINDS } from '../model/vocabulary';
import { ParsedCidr } from '../private/cidr';
import { LINK_LOCAL_RANGES, METADATA_RANGES, SensitiveRange } from '../private/special-ranges';

const DNS_PORT = 53;

/**
 * Link-local addresses belong to the node, not to the network: the cloud metadata service (the
 * node's identity and credentials) answers there. A NetworkPolicy egress rule that opens a cloud
 * metadata address, on any port, is a finding; one that opens other link-local addresses is a
 * finding unless it opens them on port 53 only (NodeLocal DNSCache at 169.254.20.10, the AWS VPC
 * resolver at 169.254.169.253). An egress rule without `to`, or with a block of a whole address
 * family, opens every address: that is one finding for the policy, acknowledged without naming
 * addresses, rather than one per metadata address it happens to include. IPv4-mapped and
 * NAT64 forms of the addresses count as the addresses.
 */
export const linkLocalEgressRule: Rule = {
  id: RuleId.LINK_LOCAL_EGRESS,
  severity: FindingSeverity.ERROR,
  summary: 'a NetworkPolicy egress rule opens a cloud metadata address, or link-local addresses beyond DNS',
  description: 'A NetworkPolicy egress rule opens a cloud metadata address (169.254.169.254, fd00:ec2::254, 100.100.100.200, the Azure WireServer 168.63.129.16, in any form) on any port, or other link-local addresses on a port other than 53. The metadata service hands out the node\'s cloud credentials to any pod that can reach it; an egress rule without a destination, or to 0.0.0.0/0, opens it too.',
  remedy: 'Name the destinations instead of an open egress rule, use Peer.internet() (which excepts these ranges), or except them from the ipBlock. Acknowledge link-local-egress on the Namespace for the address only when the pods must reach it, with the reason.',
  securitySeverity: 8.0,
  acknowledgedOn: 'namespace',
  objectKinds: NETWORK_POLICY_KINDS,
  target: 'the metadata address or link-local range opened',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const np of model.networkPolicies) {
      if (np.monitorOnly || !np.policy.affectsEgress) continue;
      // Per address or range, the rules that open it, in order. Rules that open every address (no
      // "to", or a block of a whole family) are gathered apart: one finding per policy says it all,
      // instead of one per metadata address that an allow-all egress rule happens to include.
      const named = new Map<string, Opened>();
      const everything = new Map<string, Opened>();
      for (const rule of np.policy.egress) {
        const opened = opensEverything(rule) ? everything : named;
        const index = rule.label.slice(rule.label.lastIndexOf(' ') + 1);
        const add = (range: SensitiveRange, metadata: boolean) => {
          const entry = opened.get(range.name) ?? { metadata, rules: [] };
          if (!entry.rules.includes(index)) entry.rules.push(index);
          opened.set(range.name, entry);
        };
        for (const range of METADATA_RANGES) if (opensRange(rule, range)) add(range, true);
        if (!onlyDnsPort(rule)) {
          // A block of metadata addresses alone is reported once, as such.
          for (const range of LINK_LOCAL_RANGES) if (opensRange(rule, range, METADATA_BLOCKS)) add(range, false);
        }
      }
      const policy = `${np.kind} "${np.name}" in namespace "${np.namespace}"`;
      if (everything.size > 0) {
        const rules = [...new Set([...everything.values()].flatMap(e => e.rules))];
        const names = (metadata: boolean) => [...everything].filter(([, e]) => e.metadata === metadata).map(([n]) => n);
        const included = [
          names(true).length > 0 ? `the cloud metadata addresses ${names(true).join(', ')}` : undefined,
          names(false).length > 0 ? `link-local addresses (${names(false).join(', ')}) beyond port 53` : undefined,
        ].filter(x => x !== undefined).join(' and ');
        hits.push({
          object: np,
          namespace: np.namespace,
          message: `${policy} opens every address (${rules.join(', ')}), ${included} included: pods could reach the node's cloud identity or node-local services`,
          fix: 'name the destinations instead of an open egress rule, use Peer.internet() (which excepts these ranges) or except them from the ipBlock, '
            + `or acknowledge ${RuleId.LINK_LOCAL_EGRESS} on the namespace without appliesTo (the rule opens every address)`,
        });
      }
      for (const [name, { metadata, rules }] of named) {
        if (everything.has(name)) continue;
        const what = metadata ? `the cloud metadata address ${name}` : `link-local addresses (${name}) beyond port 53`;
        hits.push({
          object: np,
          namespace: np.namespace,
          target: name,
          message: `${policy} opens ${what} (${rules.join(', ')}): pods could reach the node's cloud identity or node-local services`,
          fix: metadata
            ? `except ${name} from the ipBlock (Peer.internet() does), name the destinations instead of an open "to", or acknowledge ${RuleId.LINK_LOCAL_EGRESS} for "${name}"`
            : `except ${name} from the ipBlock, allow only port 53 for a node-local DNS address, or acknowledge ${RuleId.LINK_LOCAL_EGRESS} for "${name}"`,
        });
      }
    }
    return hits;
  },
};

interface Opened {
  readonly metadata: boolean;
  readonly rules: string[];
}

/** Whether the rule lets traffic to every address of a family: no "to", or a block like 0.0.0.0/0. */
function opensEverything(rule: PolicyRule): boolean {
  return rule.peers === undefined || rule.peers.some(peer => peer.kind === 'ipBlock' && peer.ipBlock.coversFamily);
}

const METADATA_BLOCKS = METADATA_RANGES.map(r => r.range);

/** Whether the rule lets traffic to any address of the range but `ignored` (a rule without `to` lets every address). */
function opensRange(rule: PolicyRule, range: SensitiveRange, ignored: readonly ParsedCidr[] = []): boolean {
  if (rule.peers === undefined) return true;
  return rule.peers.some(peer => peer.kind === 'ipBlock' && peer.ipBlock.opens(range.range, ignored));
}

/** Whether the rule allows port 53 and nothing else (a named port may be any number, so it is not). */
function onlyDnsPort(rule: PolicyRule): boolean {
  return rule.ports !== undefined && rule.ports.every(p => p.kind === 'range' && p.from === DNS_PORT && p.to === DNS_PORT);
}
