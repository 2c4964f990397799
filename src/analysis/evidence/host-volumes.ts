// Host paths that reach a namespace's pods through PersistentVolumes. Pod Security admission rejects
// inline hostPath volumes only: a claim bound to a hostPath or local PersistentVolume, or provisioned
// by a StorageClass that makes such volumes, mounts a directory of the node all the same.
//
// Binding follows the PersistentVolume controller: a volume whose spec.claimRef names a claim is
// that claim's, whatever its class; a claim with spec.volumeName gets that volume unless it names
// another claim; any other claim binds an unbound volume of its class (the legacy class annotation
// first, then spec.storageClassName; a claim that names none gets the default StorageClass when it
// is created) whose labels its selector matches, or has one provisioned by its class. Capacity,
// access and volume modes narrow that further (a volume reserved for a claim is skipped when it is
// too small): they are left out, which may only add failures.
// A reference the input cannot resolve (a volume, a claim or a class it does not hold) cannot be
// shown harmless, so it fails, as a RoleBinding to a role the input does not hold does.
import { listText, ref, refs } from './refs';
import { ClusterModel, Namespace, PersistentVolume, PersistentVolumeClaim, ResourceQuota, StorageClass, Workload } from '../../model/cluster-model';
import { ClaimSpecFacts, NodePath } from '../../model/storage';
import { groupBy } from '../../private/collections';
import { parseQuantity } from '../../private/quantity';

/**
 * Provisioners known to make hostPath or local volumes: a claim of their class gets a directory of
 * a node. `kubernetes.io/no-provisioner` provisions nothing: claims of its classes bind local
 * volumes made by hand or by the local static provisioner, which are rarely in the input.
 */
export const HOST_PATH_PROVISIONERS: ReadonlyMap<string, string> = new Map([
  ['rancher.io/local-path', 'Rancher\'s local-path-provisioner, the default class of k3s and kind'],
  ['k8s.io/minikube-hostpath', 'minikube\'s storage-provisioner'],
  ['microk8s.io/hostpath', 'MicroK8s\' hostpath-storage'],
  ['docker.io/hostpath', 'Docker Desktop\'s hostpath provisioner'],
  ['openebs.io/local', 'OpenEBS Local PV (hostpath and device)'],
  ['kubernetes.io/host-path', 'Kubernetes\' in-tree hostPath provisioner'],
  ['hostpath.csi.k8s.io', 'the CSI hostpath driver'],
  ['kubernetes.io/no-provisioner', 'static local volumes'],
]);

/** One way a directory of a node reaches the namespace, with the objects that show it. */
export interface HostVolumeProblem {
  readonly evidence: readonly string[];
  readonly text: string;
}

/** What the namespace's claims and the input's volumes show about host paths. */
export interface HostVolumeReport {
  /** Each fails the control. */
  readonly problems: readonly HostVolumeProblem[];
  /** What shows the claims reach no directory of a node, when there is something to show. */
  readonly proof?: HostVolumeProblem;
  readonly fix?: string;
}

/** A claim of the namespace: an object of the input, one a workload names, or the claims a template makes. */
interface Claim {
  /** `PersistentVolumeClaim customer1/data`, or what a template makes. */
  readonly label: string;
  readonly object?: PersistentVolumeClaim;
  /** The workloads whose pods mount it. */
  readonly users: Workload[];
  /** Whether a claim of this name is one of these (a template makes many). */
  readonly matches: (name: string) => boolean;
  /** One claim of a fixed name, rather than the claims of a template. */
  readonly exact: boolean;
  /** What the binder reads; undefined for a claim the input does not hold. */
  readonly spec?: ClaimSpecFacts;
}

/** The hostPath and local volumes the claims of a namespace (and the claims it may still create) can get. */
export function hostVolumeRoutes(model: ClusterModel, ns: Namespace): HostVolumeReport {
  const claims = claimsOf(model, ns);
  const hostVolumes = model.persistentVolumes.filter(p => p.nodePath !== undefined);
  const hostClasses = model.storageClasses.filter(c => HOST_PATH_PROVISIONERS.has(c.provisioner));
  if (claims.length === 0 && hostVolumes.length === 0 && hostClasses.length === 0) return { problems: [] };

  const problems: HostVolumeProblem[] = [];
  const proofRefs: string[] = [];
  const reached = new Set<PersistentVolume | StorageClass>();
  for (const claim of claims) {
    const subject = claim.users.length > 0
      ? `${listText(refs(claim.users))} mount${claim.users.length === 1 ? 's' : ''} ${claim.label}`
      : `${claim.label} (mounted by no workload of the input)`;
    const own = [...refs(claim.users), ...refs([claim.object])];
    const binding = bindingOf(model, ns, claim);
    for (const route of binding.routes) {
      const target = route.volume ?? route.storageClass!;
      if (!isHost(target)) {
        proofRefs.push(...own, ref(target));
        continue;
      }
      reached.add(target);
      problems.push({ evidence: [...own, ref(target)], text: `${subject}, ${route.text}` });
    }
    for (const unknown of binding.unknown) problems.push({ evidence: own, text: `${subject}, ${unknown}` });
    if (binding.routes.length === 0 && binding.unknown.length === 0) proofRefs.push(...own);
  }

  // Claims the namespace may still create: a volume reserved for one, unbound volumes and classes.
  const blocked: HostVolumeProblem[] = [];
  for (const volume of hostVolumes) {
    if (reached.has(volume)) continue;
    const claimRef = volume.claimRef;
    if (claimRef) {
      if (claimRef.namespace !== ns.name || claims.some(c => c.matches(claimRef.name))) continue;
      problems.push({
        evidence: [ref(volume)],
        text: `${describeVolume(volume)} names PersistentVolumeClaim ${ns.name}/${claimRef.name} in spec.claimRef: that claim, which the input does not `
          + 'hold (it may exist, or be created), gets a directory of a node whatever its class',
      });
      continue;
    }
    const quota = creationBlocked(ns, volume.storageClass);
    const claim = `claim created in ${ns.name} with storageClassName "${volume.storageClass}"`;
    if (quota) blocked.push({ evidence: [ref(quota.object), ref(volume)], text: `${ref(quota.object)} sets ${quota.key} to 0, so no ${claim} can bind ${describeVolume(volume)}` });
    else problems.push({ evidence: [ref(volume)], text: `${describeVolume(volume)} is unbound (no spec.claimRef): a ${claim} may bind it` });
  }
  for (const storageClass of hostClasses) {
    if (reached.has(storageClass)) continue;
    const quota = creationBlocked(ns, storageClass.name);
    const claim = `claim created in ${ns.name} with storageClassName "${storageClass.name}"${storageClass.isDefault ? ' (or none: it is the default class)' : ''}`;
    if (quota) blocked.push({ evidence: [ref(quota.object), ref(storageClass)], text: `${ref(quota.object)} sets ${quota.key} to 0, so no ${claim} can be provisioned by ${describeClass(storageClass)}` });
    else problems.push({ evidence: [ref(storageClass)], text: `${describeClass(storageClass)} provisions directories of nodes: a ${claim} gets one` });
  }

  if (problems.length > 0) {
    return {
      problems,
      fix: 'bind claims to volumes that are not hostPath or local (CSI or network storage) and name their StorageClass; keep hostPath and local '
        + 'PersistentVolumes reserved (spec.claimRef) for the platform\'s own namespaces; stop tenants from creating claims of host-path classes '
        + '(<class>.storageclass.storage.k8s.io/persistentvolumeclaims: "0" in the namespace\'s ResourceQuota, or persistentvolumeclaims: "0"); '
        + 'give the input the PersistentVolumes, claims and StorageClasses it names (kubectl get pv,pvc,storageclass -A -o yaml)',
    };
  }
  const parts = [
    ...(claims.length > 0 ? [`none of the claims of ${ns.name} (${listText(claims.map(c => c.label))}) is bound to, may bind or is provisioned `
      + 'a hostPath or local PersistentVolume']
      : []),
    ...blocked.map(b => b.text),
  ];
  if (parts.length === 0) return { problems: [] };
  return { problems: [], proof: { evidence: [...new Set([...proofRefs, ...blocked.flatMap(b => b.evidence)])], text: parts.join('; ') } };
}

interface Route {
  readonly volume?: PersistentVolume;
  readonly storageClass?: StorageClass;
  /** What it does: `bound to PersistentVolume x (hostPath /)`. */
  readonly text: string;
}

/** The input's volumes and classes, looked up as the binder looks them up (built once per model). */
interface StorageIndex {
  /** Volumes by the namespace their claimRef names. */
  readonly reservedIn: ReadonlyMap<string, readonly PersistentVolume[]>;
  /** Volumes without a claimRef, by class. */
  readonly unboundOfClass: ReadonlyMap<string, readonly PersistentVolume[]>;
  readonly volumeNamed: ReadonlyMap<string, PersistentVolume>;
  readonly classNamed: ReadonlyMap<string, StorageClass>;
  readonly defaultClasses: readonly string[];
}

const indexes = new WeakMap<ClusterModel, StorageIndex>();

function storageIndex(model: ClusterModel): StorageIndex {
  let index = indexes.get(model);
  if (!index) {
    const volumes = model.persistentVolumes;
    index = {
      reservedIn: groupBy(volumes.filter(p => p.claimRef !== undefined), p => p.claimRef!.namespace),
      unboundOfClass: groupBy(volumes.filter(p => p.claimRef === undefined), p => p.storageClass),
      volumeNamed: new Map(volumes.map(p => [p.name, p])),
      classNamed: new Map(model.storageClasses.map(c => [c.name, c])),
      defaultClasses: model.storageClasses.filter(c => c.isDefault).map(c => c.name),
    };
    indexes.set(model, index);
  }
  return index;
}

/** Where a claim's volume comes from, and what the input cannot show about it. */
function bindingOf(model: ClusterModel, ns: Namespace, claim: Claim): { routes: Route[]; unknown: string[] } {
  const index = storageIndex(model);
  const routes: Route[] = [];
  const unknown: string[] = [];
  // A volume whose claimRef names the claim is its volume, whatever the class. The claim may still
  // bind another (one its volumeName names, or by class when that volume is too small for it), and
  // a template makes more claims as it scales: the other ways are followed too.
  for (const volume of index.reservedIn.get(ns.name) ?? []) {
    if (claim.matches(volume.claimRef!.name)) {
      routes.push({ volume, text: `bound to ${describeVolume(volume)}, whose spec.claimRef names ${ns.name}/${volume.claimRef!.name}` });
    }
  }
  const spec = claim.spec;
  if (!spec) {
    unknown.push('which the input does not hold, so the volume behind it cannot be shown');
    return { routes, unknown };
  }
  if (spec.volumeName !== undefined) {
    const volume = index.volumeNamed.get(spec.volumeName);
    if (!volume) {
      unknown.push(`which names PersistentVolume ${spec.volumeName} (spec.volumeName), not in the input, so whether it is a directory of a node cannot be shown`);
    } else if (volume.claimRef === undefined) {
      routes.push({ volume, text: `bound to ${describeVolume(volume)}, which its spec.volumeName names` });
    }
    // A volume whose claimRef names another claim is not this claim's: it stays pending.
    return { routes, unknown };
  }
  let classes: string[];
  if (spec.storageClass !== undefined) {
    classes = [spec.storageClass];
  } else {
    classes = [...index.defaultClasses];
    if (classes.length === 0) {
      unknown.push('which sets no storageClassName while the input holds no default StorageClass, so the class the cluster gives it (a host-path one '
        + 'on k3s, kind, minikube, MicroK8s and Docker Desktop) cannot be shown');
      classes = [''];
    }
  }
  for (const className of classes) {
    for (const volume of index.unboundOfClass.get(className) ?? []) {
      if (!(spec.selector?.matches(volume.labels) ?? true)) continue;
      routes.push({ volume, text: `which may bind ${describeVolume(volume)}: it is unbound and of the claim's class "${className}"` });
    }
    if (className === '') continue; // a claim of no class is never provisioned
    const storageClass = index.classNamed.get(className);
    if (!storageClass) {
      unknown.push(`which asks for StorageClass ${className}, not in the input, so what it provisions cannot be shown`);
    } else {
      routes.push({ storageClass, text: `whose ${describeClass(storageClass)} provisions a directory of a node` });
    }
  }
  return { routes, unknown };
}

function isHost(target: PersistentVolume | StorageClass): boolean {
  return 'provisioner' in target ? HOST_PATH_PROVISIONERS.has(target.provisioner) : target.nodePath !== undefined;
}

/** `PersistentVolume node-root (hostPath /)`. */
function describeVolume(volume: PersistentVolume): string {
  return `${ref(volume)}${volume.nodePath ? ` (${describeNodePath(volume.nodePath)})` : ''}`;
}

function describeNodePath(nodePath: NodePath): string {
  return `${nodePath.source} ${nodePath.path}`;
}

/** `StorageClass local-path (provisioner rancher.io/local-path: Rancher's local-path-provisioner, ...)`. */
function describeClass(storageClass: StorageClass): string {
  const known = HOST_PATH_PROVISIONERS.get(storageClass.provisioner);
  return `${ref(storageClass)} (provisioner ${storageClass.provisioner}${known ? `: ${known}` : ''})`;
}

/**
 * The unscoped quota of the namespace that stops any new claim of a class: one that holds the
 * namespace's claims, or the class's (`<class>.storageclass.storage.k8s.io/persistentvolumeclaims`),
 * at 0. A class of `''` has no quota of its own.
 */
function creationBlocked(ns: Namespace, className: string): { object: ResourceQuota; key: string } | undefined {
  const keys = ['persistentvolumeclaims', 'count/persistentvolumeclaims', ...(className === '' ? [] : [`${className}.storageclass.storage.k8s.io/persistentvolumeclaims`])];
  for (const quota of ns.resourceQuotas.filter(q => !q.scoped)) {
    const key = keys.find(k => quota.hard[k] !== undefined && parseQuantity(quota.hard[k]) === 0);
    if (key) return { object: quota, key };
  }
  return undefined;
}

/** The claims of a namespace: its PersistentVolumeClaims, and those its workloads name or make. */
function claimsOf(model: ClusterModel, ns: Namespace): Claim[] {
  const byName = new Map<string, Claim>();
  const claims: Claim[] = [];
  const add = (claim: Claim) => {
    claims.push(claim);
    return claim;
  };
  for (const object of ns.persistentVolumeClaims) {
    byName.set(object.name, add({ label: ref(object), object, users: [], matches: n => n === object.name, exact: true, spec: object }));
  }
  for (const workload of ns.workloads) {
    for (const use of model.claimsOf(workload)) {
      if (use.source === 'claim') {
        let claim = byName.get(use.name);
        if (!claim) {
          claim = add({ label: `PersistentVolumeClaim ${ns.name}/${use.name}`, users: [], matches: n => n === use.name, exact: true });
          byName.set(use.name, claim);
        }
        if (!claim.users.includes(workload)) claim.users.push(workload);
      } else if (use.source === 'ephemeral') {
        // `<pod>-<volume>`: a Pod's name is known, a controller's pods' names are made up.
        const exact = workload.kind === 'Pod';
        const matches = exact ? (n: string) => n === `${workload.name}-${use.name}` : (n: string) => n.startsWith(`${workload.name}-`) && n.endsWith(`-${use.name}`);
        add({ label: `the ephemeral volume "${use.name}" (${use.path})`, users: [workload], matches, exact, spec: use.spec });
      } else {
        const prefix = `${use.name}-${workload.name}-`;
        const matches = (n: string) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length));
        // Claims of the template that are in the input are the StatefulSet's too.
        for (const object of ns.persistentVolumeClaims) {
          if (matches(object.name)) byName.get(object.name)!.users.push(workload);
        }
        add({ label: `the claims of template "${use.name}" (${use.path}, named ${prefix}<ordinal>)`, users: [workload], matches, exact: false, spec: use.spec });
      }
    }
  }
  return claims;
}
