import { MAX_PEERS, passRules } from '../../src/guardrails/network-policy-tiers';
import { PeerSelector } from '../../src/network/peer';
import { errorOf } from '../helpers';

const NAME = 'kubernetes.io/metadata.name';

describe('pass rules for declared peers', () => {
  test('namespaces by name share one peer per pod selection; whole namespaces absorb pod selections of themselves', () => {
    const rules = passRules('test/a', [
      { namespaceNames: ['b'], podLabels: { app: 'api' } },
      { namespaceNames: ['c'], podLabels: { app: 'api' } },
      { namespaceNames: ['c'] },
      { namespaceNames: ['d'], podLabels: { app: 'web' } },
      { cidr: '10.0.0.0/8' },
    ], 24);
    expect(rules).toEqual([{
      name: 'pass-declared',
      action: 'Pass',
      peers: [
        { namespaces: { matchLabels: { [NAME]: 'c' } } },
        { pods: { namespaceSelector: { matchLabels: { [NAME]: 'b' } }, podSelector: { matchLabels: { app: 'api' } } } },
        { pods: { namespaceSelector: { matchLabels: { [NAME]: 'd' } }, podSelector: { matchLabels: { app: 'web' } } } },
      ],
    }]);
  });

  test('a peer of every namespace absorbs all the others', () => {
    expect(passRules('test/a', [{ namespaceNames: ['b'] }, { namespaceLabels: {} }, { namespaceLabels: { team: 'x' } }], 24))
      .toEqual([{ name: 'pass-declared', action: 'Pass', peers: [{ namespaces: {} }] }]);
  });

  test('up to the rule budget, pod selections keep their own peers, 25 to a rule', () => {
    const declared: PeerSelector[] = Array.from({ length: 24 * MAX_PEERS }, (_, i) => ({ namespaceNames: [`ns-${i}`], podLabels: { app: `app-${i}` } }));
    const rules = passRules('test/a', declared, 24);
    expect(rules).toHaveLength(24);
    expect(rules.every(r => r.peers.length === MAX_PEERS && r.peers.every(p => 'pods' in p))).toBe(true);
  });

  test('beyond the rule budget, whole namespaces are passed in one peer (their NetworkPolicies still choose the pods)', () => {
    const declared: PeerSelector[] = Array.from({ length: 24 * MAX_PEERS + 1 }, (_, i) => ({ namespaceNames: [`ns-${i}`], podLabels: { app: `app-${i}` } }));
    const rules = passRules('test/a', declared, 24);
    expect(rules).toHaveLength(1);
    expect(rules[0].peers).toHaveLength(1);
    const peer = rules[0].peers[0] as { namespaces: { matchExpressions: Array<{ key: string; operator: string; values: string[] }> } };
    expect(peer.namespaces.matchExpressions).toEqual([{ key: NAME, operator: 'In', values: declared.map(d => d.namespaceNames![0]).sort() }]);
  });

  test('more distinct label selectors than a policy can hold are refused, naming the bundle', () => {
    const declared: PeerSelector[] = Array.from({ length: 24 * MAX_PEERS + 1 }, (_, i) => ({ namespaceLabels: { team: `team-${i}` } }));
    expect(errorOf(() => passRules('test/a', declared, 24)))
      .toMatch(/^\[test\/a\] the flows declare more distinct namespace label selectors than one cluster network policy can pass on \(24 rules of 25 peers\)\. Fix: /);
  });
});
