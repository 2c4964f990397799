import { KubeObject } from '../../../../src/model/manifests';
import { ProtocolName as Protocol } from '../../../../src/model/vocabulary';

/**
 * The cluster the upstream NetworkPolicy e2e suite probes: namespaces x, y, z (labelled `ns: <name>`)
 * each with pods a, b, c (labelled `pod: <name>`) serving ports 80 and 81 on TCP, UDP and SCTP, one
 * container per port and protocol, container ports named like `serve-80-tcp`.
 */
export const NAMESPACES = ['x', 'y', 'z'] as const;
export const POD_NAMES = ['a', 'b', 'c'] as const;
export const POD_KEYS: readonly string[] = NAMESPACES.flatMap((ns) => POD_NAMES.map((p) => `${ns}/${p}`));

const SERVED_PORTS = [80, 81];
const SERVED_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface ClusterTweaks {
  /** Extra namespace labels, e.g. `{ y: { ns2: 'updated' } }`. */
  readonly namespaceLabels?: Readonly<Record<string, Record<string, string>>>;
  /** Extra pod labels by pod key, e.g. `{ 'x/b': { pod2: 'updated' } }`. */
  readonly podLabels?: Readonly<Record<string, Record<string, string>>>;
  /** Give pods IPv6 addresses (fd00:0:0:<ns>::<pod>) instead of IPv4 (10.0.<ns>.<pod>). */
  readonly ipv6?: boolean;
}

/** The IP a pod gets: namespaces and pods are numbered from 1 (x/a is 10.0.1.1). */
export function podIp(key: string, ipv6 = false): string {
  const [ns, pod] = key.split('/');
  const n = NAMESPACES.indexOf(ns as (typeof NAMESPACES)[number]) + 1;
  const p = POD_NAMES.indexOf(pod as (typeof POD_NAMES)[number]) + 1;
  return ipv6 ? `fd00:0:0:${n}::${p}` : `10.0.${n}.${p}`;
}

export function e2eCluster(tweaks: ClusterTweaks = {}): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const ns of NAMESPACES) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { ns, ...tweaks.namespaceLabels?.[ns] } },
    });
    for (const pod of POD_NAMES) {
      const key = `${ns}/${pod}`;
      const ip = podIp(key, tweaks.ipv6);
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod, namespace: ns, labels: { pod, ...tweaks.podLabels?.[key] } },
        spec: { containers: containers() },
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
      });
    }
  }
  return objects;
}

function containers(): object[] {
  return SERVED_PORTS.flatMap((port) =>
    SERVED_PROTOCOLS.map((protocol) => {
      const suffix = `${port}-${protocol.toLowerCase()}`;
      return { name: `cont-${suffix}`, image: 'agnhost', ports: [{ containerPort: port, name: `serve-${suffix}`, protocol }] };
    }),
  );
}

/** A NetworkPolicy in namespace `ns`. */
export function netpol(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

/** `{ matchLabels: labels }`. */
export function labels(matchLabels: Record<string, string>): Record<string, unknown> {
  return { matchLabels };
}

/** A namespaceSelector on the label the API server puts on every namespace. */
export function namespaceNamed(name: string): Record<string, unknown> {
  return labels({ 'kubernetes.io/metadata.name': name });
}

/**
 * Where a truth-table override applies: `*` (every pod), a namespace (`x`) or one pod (`x/a`).
 * Overrides are applied in order on a table that starts all-allowed.
 */
export type Override = readonly [from: string, to: string, allowed: boolean];

export function expectedTable(overrides: readonly Override[]): Map<string, boolean> {
  const table = new Map<string, boolean>();
  for (const from of POD_KEYS) for (const to of POD_KEYS) table.set(`${from} -> ${to}`, true);
  for (const [fromPattern, toPattern, allowed] of overrides) {
    for (const from of POD_KEYS.filter((k) => matches(fromPattern, k))) {
      for (const to of POD_KEYS.filter((k) => matches(toPattern, k))) table.set(`${from} -> ${to}`, allowed);
    }
  }
  return table;
}

function matches(pattern: string, key: string): boolean {
  if (!pattern.includes('/') && pattern !== '*' && !(NAMESPACES as readonly string[]).includes(pattern)) {
    throw new Error(`bad pattern ${pattern}`);
  }
  return pattern === '*' || pattern === key || key.startsWith(`${pattern}/`);
}
