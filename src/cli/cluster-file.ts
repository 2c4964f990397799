// The cluster file of `namespace-guard reach --cluster`: what a ClusterProfile declares and
// manifests do not hold (the DNS pods, the ingress controller, the monitoring system, the pod,
// Service and node CIDRs, the Kubernetes version), read strictly so that a typo is an error naming the file and the field.
import { UsageError } from './errors';
import { readRegularFile } from './io';
import { ClusterModel } from '../model/cluster-model';
import { ClusterNetwork, clusterCidrProblem, ClusterNetworkFacts, NETWORK_BACKEND_NAMES, NetworkBackendName } from '../model/cluster-network';
import { ClusterServiceDeclaration, ClusterServiceRole, clusterServicePods, DNS_PORTS } from '../model/cluster-services';
import { kubernetesVersionProblem } from '../model/kubernetes-version';
import { Manifest, ManifestError, parseSettingsDocument } from '../model/manifests';
import { parseIp } from '../private/cidr';
import { isRecord } from '../private/json';
import { dnsLabelProblem, labelsProblems } from '../private/names';

/** What a cluster file declares. */
export interface ClusterFile {
  readonly network: ClusterNetworkFacts;
  readonly services: readonly ClusterServiceDeclaration[];
  /** The NodeLocal DNSCache address, if declared (an address, not a pod: nothing is added for it). */
  readonly nodeLocalDns?: string;
}

const FIELDS = ['dns', 'ingressController', 'monitoring', 'podCidrs', 'serviceCidrs', 'nodeCidrs', 'networkBackend', 'kubernetesVersion'];
const DNS_FIELDS = ['kubeDns', 'nodeLocal'];
const KUBE_DNS_FIELDS = ['namespaceName', 'podLabels'];
const SERVICE_FIELDS = ['namespaceName', 'podLabels'];
const DEFAULT_DNS_NAMESPACE = 'kube-system';
const DEFAULT_DNS_LABELS = { 'k8s-app': 'kube-dns' };

/** An example of the file, for the help and for error messages. */
export const CLUSTER_FILE_EXAMPLE = `dns:
  kubeDns: { namespaceName: kube-system, podLabels: { k8s-app: kube-dns } }
ingressController:
  namespaceName: ingress-nginx
  podLabels: { app.kubernetes.io/name: ingress-nginx }
monitoring: { namespaceName: monitoring }
podCidrs: [10.244.0.0/16]
serviceCidrs: [10.96.0.0/12]
nodeCidrs: [10.0.0.0/20]
networkBackend: calico
kubernetesVersion: "1.31"`;

/**
 * The cluster of the manifests, with the cluster file's ranges and plugin and, as the library does
 * for a ClusterProfile, a representative pod for each declared service that no Pod or workload of
 * the input already matches.
 */
export function clusterModelOf(
  manifests: readonly Manifest[], file: { readonly path: string; readonly contents: ClusterFile } | undefined,
): ClusterModel {
  const network = ClusterNetwork.of(file?.contents.network);
  const cluster = ClusterModel.fromManifests(manifests, network);
  if (!file) return cluster;
  const pods = clusterServicePods(file.contents.services, cluster.workloads);
  if (pods.length === 0) return cluster;
  return ClusterModel.fromManifests([...manifests, ...pods.map((object): Manifest => ({ object, source: file.path, document: 1 }))], network);
}

/** Reads and validates a cluster file; a UsageError names the file and the field. */
export function readClusterFile(file: string): ClusterFile {
  let value: unknown;
  try {
    value = parseSettingsDocument(readRegularFile(file), file);
  } catch (e) {
    if (e instanceof ManifestError) throw new UsageError(`--cluster ${e.message}`);
    throw e;
  }
  return parseClusterFile(value, file);
}

/** Validates the parsed document of a cluster file (`source` names it in errors). */
export function parseClusterFile(value: unknown, source: string): ClusterFile {
  const fail = (field: string, problem: string) => new UsageError(`--cluster ${source}: ${field}: ${problem}`);
  if (value === undefined || value === null) {
    throw new UsageError(`--cluster ${source}: the file is empty; declare at least one of ${FIELDS.join(', ')}`);
  }
  if (isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string') {
    throw new UsageError(`--cluster ${source}: holds a Kubernetes object (${value.kind}), not a cluster file; pass manifests with -f, `
      + `and to --cluster a file such as:\n${CLUSTER_FILE_EXAMPLE}`);
  }
  const top = mapping(value, '(top level)', FIELDS, fail);
  const services: ClusterServiceDeclaration[] = [];
  let nodeLocalDns: string | undefined;
  const dns = top.dns === undefined ? { kubeDns: {} } : mapping(top.dns, 'dns', DNS_FIELDS, fail);
  if (dns.kubeDns === undefined && dns.nodeLocal === undefined) {
    throw fail('dns', 'declares neither kubeDns nor nodeLocal; give kubeDns: {} for the kube-dns defaults, or nodeLocal: <address>');
  }
  if (dns.kubeDns !== undefined) {
    const kubeDns = mapping(dns.kubeDns, 'dns.kubeDns', KUBE_DNS_FIELDS, fail, '{} for the defaults');
    const namespaceName = kubeDns.namespaceName === undefined ? DEFAULT_DNS_NAMESPACE : namespaceNameAt(kubeDns.namespaceName, 'dns.kubeDns.namespaceName', fail);
    const podLabels = kubeDns.podLabels === undefined ? DEFAULT_DNS_LABELS : labelsAt(kubeDns.podLabels, 'dns.kubeDns.podLabels', fail);
    if (Object.keys(podLabels).length === 0) {
      throw fail('dns.kubeDns.podLabels', 'is empty, which would stand for every pod of the DNS namespace; give the DNS pods\' labels such as { k8s-app: kube-dns }');
    }
    services.push({ role: 'dns', namespaceName, podLabels, ports: DNS_PORTS });
  }
  if (dns.nodeLocal !== undefined) {
    if (typeof dns.nodeLocal !== 'string' || parseIp(dns.nodeLocal) === undefined) {
      throw fail('dns.nodeLocal', `${JSON.stringify(dns.nodeLocal)} is not an IP address; give the cache's address alone, for example 169.254.20.10`);
    }
    nodeLocalDns = dns.nodeLocal;
  }
  for (const [field, role] of [['ingressController', 'ingress-controller'], ['monitoring', 'monitoring']] as const) {
    if (top[field] !== undefined) services.push(...serviceList(top[field], field, role, fail));
  }
  const network: ClusterNetworkFacts = {
    podCidrs: cidrsAt(top.podCidrs, 'podCidrs', fail),
    serviceCidrs: cidrsAt(top.serviceCidrs, 'serviceCidrs', fail),
    nodeCidrs: cidrsAt(top.nodeCidrs, 'nodeCidrs', fail),
    ...(top.networkBackend === undefined ? {} : { networkBackend: backendAt(top.networkBackend, fail) }),
    ...(top.kubernetesVersion === undefined ? {} : { kubernetesVersion: kubernetesVersionAt(top.kubernetesVersion, fail) }),
  };
  return { network, services, ...(nodeLocalDns === undefined ? {} : { nodeLocalDns }) };
}

type Fail = (field: string, problem: string) => UsageError;

/** A mapping whose keys are among `fields`. */
function mapping(value: unknown, field: string, fields: readonly string[], fail: Fail, hint?: string): Record<string, unknown> {
  if (!isRecord(value)) {
    throw fail(field, `must be a mapping${hint ? ` (${hint})` : ''}, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) {
      const where = field === '(top level)' ? key : `${field}.${key}`;
      throw fail(where, `unknown field; ${field === '(top level)' ? 'a cluster file' : field} has ${fields.join(', ')}`);
    }
  }
  return value;
}

/** One service or a list of them: the pods of `podLabels` (every pod when absent) in `namespaceName`. */
function serviceList(value: unknown, field: string, role: ClusterServiceRole, fail: Fail): ClusterServiceDeclaration[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw fail(field, 'is an empty list; leave the field out when there is none');
  return items.map((item, i) => {
    const at = Array.isArray(value) ? `${field}[${i}]` : field;
    const service = mapping(item, at, SERVICE_FIELDS, fail);
    if (service.namespaceName === undefined) throw fail(`${at}.namespaceName`, 'is required: the namespace the pods run in');
    const namespaceName = namespaceNameAt(service.namespaceName, `${at}.namespaceName`, fail);
    const podLabels = service.podLabels === undefined ? {} : labelsAt(service.podLabels, `${at}.podLabels`, fail);
    return { role, namespaceName, podLabels, ports: [] };
  });
}

function namespaceNameAt(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string') throw fail(field, `must be a namespace name, got ${describe(value)}`);
  const problem = dnsLabelProblem(value);
  if (problem) throw fail(field, `${JSON.stringify(value)} is not a namespace name: ${problem}`);
  return value;
}

function labelsAt(value: unknown, field: string, fail: Fail): { [key: string]: string } {
  if (!isRecord(value)) throw fail(field, `must be a mapping of label keys to values, got ${describe(value)}`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fail(`${field}.${key}`, `must be a string (quote it: "${String(v)}"), got ${describe(v)}`);
  }
  const labels = value as { [key: string]: string };
  const problems = labelsProblems(labels);
  if (problems.length > 0) throw fail(field, problems.join('; '));
  return labels;
}

/** The network plugin: it decides whether ipBlocks match the cluster's own pod addresses. */
function backendAt(value: unknown, fail: Fail): NetworkBackendName {
  if (typeof value !== 'string' || !(NETWORK_BACKEND_NAMES as readonly string[]).includes(value)) {
    throw fail('networkBackend', `${describe(value)} is not one of ${NETWORK_BACKEND_NAMES.join(', ')} (kubernetes: any plugin, when it is none of the others)`);
  }
  return value as NetworkBackendName;
}

/** The API server's version, which caps the version Pod Security labels are judged at. */
function kubernetesVersionAt(value: unknown, fail: Fail): string {
  const problem = kubernetesVersionProblem(value);
  if (problem) throw fail('kubernetesVersion', problem);
  return value as string;
}

function cidrsAt(value: unknown, field: string, fail: Fail): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw fail(field, `must be a list of CIDRs such as [10.244.0.0/16], got ${describe(value)}`);
  return value.map((cidr, i) => {
    const problem = clusterCidrProblem(cidr);
    if (problem) throw fail(`${field}[${i}]`, problem);
    return cidr as string;
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`;
}
