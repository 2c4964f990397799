import { KubeObject } from '../../../../src/model/manifests';

/**
 * The cluster the upstream network-policy-api conformance suite probes
 * (kubernetes-sigs/network-policy-api, conformance/base/manifests.yaml): four namespaces
 * `network-policy-conformance-<house>` labelled `conformance-house: <house>`, each with a
 * two-replica StatefulSet whose pods (`<name>-0`, `<name>-1`) carry the same label and serve
 * TCP 80 and 8080, UDP 53 and 5353 and SCTP 9003 and 9005. Only TCP 80 (named `web`) and UDP 53
 * (named `dns`) are declared as container ports, as upstream does.
 *
 * Left out: the fifth namespace (`forbidden-forrest`), whose host-network pods only serve the
 * experimental node-peer tests.
 */
export const HOUSES = ['gryffindor', 'slytherin', 'hufflepuff', 'ravenclaw'] as const;
export type House = (typeof HOUSES)[number];

const STATEFULSETS: Readonly<Record<House, string>> = {
  gryffindor: 'harry-potter',
  slytherin: 'draco-malfoy',
  hufflepuff: 'cedric-diggory',
  ravenclaw: 'luna-lovegood',
};

export const namespaceOf = (house: House): string => `network-policy-conformance-${house}`;

/** Pod names are unique across the namespaces, so probes name pods only (`harry-potter-0`). */
export const POD_NAMES: readonly string[] = HOUSES.flatMap((h) => [0, 1].map((i) => `${STATEFULSETS[h]}-${i}`));

/** `network-policy-conformance-gryffindor/harry-potter-0` for `harry-potter-0`. */
export function podKey(podName: string): string {
  const house = HOUSES.find((h) => podName.startsWith(`${STATEFULSETS[h]}-`));
  if (!house || !POD_NAMES.includes(podName)) throw new Error(`no pod ${podName} in the conformance cluster`);
  return `${namespaceOf(house)}/${podName}`;
}

export const POD_KEYS: readonly string[] = POD_NAMES.map(podKey);

export type IpFamily = 'IPv4' | 'IPv6';

export interface ClusterTweaks {
  /** Replaces a namespace's labels (upstream sets them whole; the name label stays implied). */
  readonly namespaceLabels?: Readonly<Partial<Record<House, Record<string, string>>>>;
  /** Single-stack IPv6 addresses instead of IPv4. */
  readonly family?: IpFamily;
}

/**
 * The pod IP: houses are numbered from 1 in the order above, replicas from 1
 * (harry-potter-0 is 10.244.1.1, or fd00:10:244:1::1 on IPv6).
 */
export function podIp(podName: string, family: IpFamily = 'IPv4'): string {
  const [ns, name] = podKey(podName).split('/');
  const house = HOUSES.findIndex((h) => namespaceOf(h) === ns) + 1;
  const replica = Number(name.slice(name.lastIndexOf('-') + 1)) + 1;
  return family === 'IPv6' ? `fd00:10:244:${house}::${replica}` : `10.244.${house}.${replica}`;
}

/** A CIDR holding exactly one pod's address (/32 or /128, as upstream builds it). */
export function podCidr(podName: string, family: IpFamily = 'IPv4'): string {
  return `${podIp(podName, family)}/${family === 'IPv6' ? 128 : 32}`;
}

export function conformanceCluster(tweaks: ClusterTweaks = {}): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const house of HOUSES) {
    const namespace = namespaceOf(house);
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: tweaks.namespaceLabels?.[house] ?? { 'conformance-house': house } },
    });
    for (const replica of [0, 1]) {
      const name = `${STATEFULSETS[house]}-${replica}`;
      const ip = podIp(name, tweaks.family);
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace,
          labels: { 'conformance-house': house, 'statefulset.kubernetes.io/pod-name': name },
        },
        spec: { containers: containers(STATEFULSETS[house]) },
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
      });
    }
  }
  return objects;
}

function containers(prefix: string): object[] {
  const image = 'registry.k8s.io/e2e-test-images/agnhost:2.45';
  return [
    { name: `${prefix}-client`, image },
    { name: `${prefix}-80`, image, ports: [{ containerPort: 80, protocol: 'TCP', name: 'web' }] },
    { name: `${prefix}-8080`, image },
    { name: `${prefix}-5353`, image },
    { name: `${prefix}-53`, image, ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }] },
    { name: `${prefix}-9003`, image },
    { name: `${prefix}-9005`, image },
  ];
}
