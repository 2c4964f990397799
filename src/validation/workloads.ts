import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { podTemplateOf } from '../analysis/pod-security';

/** Kinds whose objects run pods. */
const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

/**
 * A rendered workload: any object with a pod template.
 * @internal
 */
export interface WorkloadInfo {
  /** The construct to report against (the user's workload construct, not its inner ApiObject). */
  readonly scope: IConstruct;
  readonly kind: string;
  readonly name: string;
  readonly namespaceName: string;
  readonly manifest: any;
  /** The pod spec and its path inside the manifest. */
  readonly podSpec: any;
  readonly podSpecPath: string;
  readonly podLabels: { [key: string]: string };
  /** How many pods run at once, as declared (DaemonSets count one per node: 1 here). */
  readonly replicas: number;
}

/**
 * A rendered Service.
 * @internal
 */
export interface ServiceInfo {
  readonly scope: IConstruct;
  readonly name: string;
  readonly namespaceName: string;
  readonly serviceType: string;
  /** Node ports the Service takes: one per port for NodePort, and for LoadBalancer unless node port allocation is off. */
  readonly nodePorts: number;
}

/**
 * Renders the workloads and services of the app once.
 * @internal
 */
export function collectWorkloads(root: IConstruct): { workloads: WorkloadInfo[]; services: ServiceInfo[] } {
  const workloads: WorkloadInfo[] = [];
  const services: ServiceInfo[] = [];
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || !(WORKLOAD_KINDS.has(c.kind) || c.kind === 'Service')) continue;
    let manifest: any;
    try {
      manifest = c.toJson();
    } catch {
      continue; // the object's own synthesis reports its error
    }
    const scope = reportScope(c);
    const namespaceName = manifest.metadata?.namespace ?? 'default';
    const name = manifest.metadata?.name ?? c.name;
    if (c.kind === 'Service') {
      const serviceType = manifest.spec?.type ?? 'ClusterIP';
      const ports = Array.isArray(manifest.spec?.ports) ? manifest.spec.ports.length : 0;
      const takesNodePorts = serviceType === 'NodePort' || (serviceType === 'LoadBalancer' && manifest.spec?.allocateLoadBalancerNodePorts !== false);
      services.push({ scope, name, namespaceName, serviceType, nodePorts: takesNodePorts ? ports : 0 });
      continue;
    }
    const template = podTemplateOf(manifest);
    if (!template) continue;
    workloads.push({
      scope,
      kind: c.kind,
      name,
      namespaceName,
      manifest,
      podSpec: template.spec,
      podSpecPath: template.path,
      podLabels: { ...(c.kind === 'Pod' ? manifest.metadata?.labels : template.metadata?.labels) },
      replicas: replicasOf(manifest),
    });
  }
  return { workloads, services };
}

// cdk8s-plus wraps its ApiObject in a construct named after the user's id ("Resource" child):
// report against the user's construct.
function reportScope(obj: ApiObject): IConstruct {
  const parent = obj.node.scope;
  return obj.node.id === 'Resource' && parent ? parent : obj;
}

function replicasOf(manifest: any): number {
  switch (manifest.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'ReplicationController':
      return typeof manifest.spec?.replicas === 'number' ? manifest.spec.replicas : 1;
    case 'Job':
      return typeof manifest.spec?.parallelism === 'number' ? manifest.spec.parallelism : 1;
    case 'CronJob':
      return typeof manifest.spec?.jobTemplate?.spec?.parallelism === 'number' ? manifest.spec.jobTemplate.spec.parallelism : 1;
    default:
      return 1;
  }
}
