import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, EndpointSet, Namespace } from '../model/cluster-model';
import { cidrContains, parseCidr, parseIp } from '../private/cidr';
import { addressForms, LINK_LOCAL_RANGES, METADATA_RANGES, SensitiveRange } from '../private/special-ranges';

const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const MIRRORING_CONTROLLER = 'endpointslice-mirroring-controller.k8s.io';

/** A special-purpose block an endpoint must not point at, and what answers there. */
interface Special {
  readonly ranges: readonly SensitiveRange[];
  readonly what: string;
}

/**
 * What the API server itself refuses. Kubernetes validates every Endpoints address and every IPv4
 * or IPv6 EndpointSlice address with ValidateEndpointIP (pkg/apis/core/validation; the same checks
 * were ValidateNonSpecialIP before, v1.30 to v1.35): unspecified (0.0.0.0, ::), loopback
 * (127.0.0.0/8, ::1), link-local unicast (169.254.0.0/16, fe80::/10) and link-local multicast
 * (224.0.0.0/24, ff02::/16) addresses, the IPv4 ones also in IPv4-mapped form. It accepts the metadata
 * addresses outside link-local (100.100.100.200, fd00:ec2::254, 168.63.129.16), NAT64 forms of any
 * address, Service, node and public addresses, and any DNS name in an FQDN slice.
 */
const REFUSED_BY_API_SERVER = ['0.0.0.0/32', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/24']
  .flatMap(c => [c, `::ffff:${c.split('/')[0]}/${Number(c.split('/')[1]) + 96}`])
  .concat(['::/128', '::1/128', 'fe80::/10', 'ff02::/16'])
  .map(c => parseCidr(c)!);

const LOOPBACK = ['127.0.0.0/8', '::1/128'].flatMap(addressForms);

const SPECIAL: readonly Special[] = [
  { ranges: METADATA_RANGES, what: 'a cloud metadata address (the node\'s cloud identity and credentials)' },
  { ranges: LINK_LOCAL_RANGES, what: 'a link-local address (the node\'s own network)' },
  { ranges: LOOPBACK, what: 'a loopback address (the node or the connecting pod itself)' },
];

/**
 * A Service's endpoints are the pods it selects, written by the endpoint controllers. A managed
 * namespace that writes its own Endpoints or EndpointSlices (for a Service without a selector) can
 * point the Service anywhere, and the ingress controller, kube-proxy and every client follow it: the
 * ingress controller connects there with its own network access, past the namespace's NetworkPolicies
 * (the class of CVE-2021-25740). Addresses outside the pod network are findings: every one outside
 * the declared pod CIDRs, or without them the special-purpose addresses (cloud metadata, link-local,
 * loopback, the declared Service and node CIDRs). FQDN slices point at whatever a name resolves to.
 * Endpoints of a Service with a selector, and EndpointSlices the EndpointSlice controller manages for
 * one, are the controller's and not judged (a slice mirrored from Endpoints of the input is judged there).
 */
export const endpointAddressRule: Rule = {
  id: RuleId.ENDPOINT_ADDRESS,
  severity: FindingSeverity.ERROR,
  summary: 'an Endpoints or EndpointSlice of a managed namespace points a Service outside the pod network',
  description: 'An Endpoints or EndpointSlice of a managed namespace that the endpoint controllers do not manage holds an address outside the pod network (outside the declared pod CIDRs; without them, a cloud metadata, link-local or loopback address or one of the declared Service or node CIDRs), or is an FQDN slice. The ingress controller and kube-proxy send the Service\'s traffic there with their own network access, past the namespace\'s NetworkPolicies (the class of CVE-2021-25740).',
  remedy: 'Give the Service a selector so the controllers write its endpoints, or reach outside destinations through a declared egress flow. Acknowledge endpoint-address on the Endpoints or EndpointSlice for the address only with the reason.',
  securitySeverity: 7.5,
  acknowledgedOn: 'object',
  objectKinds: ['Endpoints', 'EndpointSlice'],
  target: 'the address (10.0.0.5, or the FQDN)',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    const declared: Special[] = [
      ...model.network.serviceRanges.map(r => ({ ranges: [{ range: r.range, name: r.cidr }], what: `in the Service CIDR ${r.cidr}` })),
      ...model.network.nodeRanges.map(r => ({ ranges: [{ range: r.range, name: r.cidr }], what: `in the node CIDR ${r.cidr}` })),
    ];
    for (const ns of model.namespaces.filter(n => n.managed)) {
      for (const set of ns.endpointSets) {
        if (controllerManaged(ns, set)) continue;
        hits.push(...(set.addressType === 'FQDN' ? fqdnHits(set) : addressHits(model, set, declared)));
      }
    }
    return hits;
  },
};

function controllerManaged(ns: Namespace, set: EndpointSet): boolean {
  const service = ns.services.find(s => s.name === set.serviceName);
  if (set.kind === 'Endpoints') return service?.hasSelector === true;
  if (set.managedBy === SLICE_CONTROLLER) return service?.hasSelector === true;
  return set.managedBy === MIRRORING_CONTROLLER && ns.endpointSets.some(e => e.kind === 'Endpoints' && e.name === set.serviceName);
}

function where(set: EndpointSet): string {
  const service = set.serviceName !== undefined ? `Service "${set.serviceName}"` : 'its Service';
  return `${set.kind} "${set.name}" in namespace "${set.namespace}" sends ${service}'s traffic to`;
}

function fqdnHits(set: EndpointSet): RuleHit[] {
  return set.addresses.map(address => ({
    object: set,
    namespace: set.namespace,
    target: address,
    message: `${where(set)} the FQDN "${address}": consumers that follow FQDN slices (some ingress controllers and gateways; kube-proxy does not) `
      + 'connect to whatever the name resolves to, with their own network access, as for an ExternalName Service',
    fix: 'give the Service a selector, or call the name directly through a declared egress flow',
  }));
}

function addressHits(model: ClusterModel, set: EndpointSet, declared: readonly Special[]): RuleHit[] {
  const network = model.network;
  const hits: RuleHit[] = [];
  for (const address of set.addresses) {
    const ip = parseIp(address);
    if (ip === undefined) continue; // the API server refuses it: not an address anything connects to
    const special = [...SPECIAL, ...declared].find(s => s.ranges.some(r => cidrContains(r.range, ip)));
    const refused = REFUSED_BY_API_SERVER.some(r => cidrContains(r, ip));
    let why: string;
    if (network.podRangesDeclared) {
      if (network.podAddresses.contains(ip)) continue;
      why = `outside the pod CIDRs (${network.podRanges.map(r => r.cidr).join(', ')})${special ? `, ${special.what}` : ''}`;
    } else {
      if (special === undefined) continue;
      why = `${special.what}; whether the other addresses are in the pod network was not checked: the cluster's pod CIDRs are not declared (ClusterProfile podCidrs, --pod-cidr)`;
    }
    hits.push({
      object: set,
      namespace: set.namespace,
      target: address,
      message: `${where(set)} ${address}, ${why}: the ingress controller and kube-proxy connect there with their own network access, past the namespace's NetworkPolicies`
        + (refused ? ' (the API server refuses this address in Endpoints and EndpointSlices, so the object cannot be applied as written)' : ''),
      fix: 'give the Service a selector so the endpoint controllers write its endpoints, or reach the destination through a declared egress flow',
    });
  }
  return hits;
}
