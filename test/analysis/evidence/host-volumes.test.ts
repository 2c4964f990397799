// Host paths through PersistentVolumes: Pod Security admission admits a claim whatever backs it, so
// MTB-PL1-BC-HI-1 and CIS-5.2.12 look behind the claims of the namespace (and those it may still
// create) at the PersistentVolumes and StorageClasses of the input.
import * as fc from 'fast-check';
import { container, customer, evidenceOf, HARDENED, Obj, rawPod } from './example-tenant';
import { HOST_PATH_PROVISIONERS } from '../../../src/analysis/evidence/host-volumes';
import { ClusterModel } from '../../../src/model/cluster-model';
import { evaluateRules } from '../../../src/rules/evaluate';

const HOST_CONTROLS = ['MTB-PL1-BC-HI-1', 'CIS-5.2.12'];

const pv = (name: string, spec: Obj, metadata: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, ...metadata },
  spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], ...spec },
});
const NODE_ROOT = { hostPath: { path: '/' } };
const LOCAL_DISK = {
  local: { path: '/mnt/disks/ssd1' },
  nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } },
};
const CSI = { csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123' } };
const claimRef = (name: string, namespace = 'customer1') => ({ claimRef: { kind: 'PersistentVolumeClaim', namespace, name } });

const pvc = (name: string, spec: Obj = {}, namespace = 'customer1'): Obj => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const storageClass = (name: string, provisioner: string, isDefault = false): Obj => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner,
});
const LOCAL_PATH = storageClass('local-path', 'rancher.io/local-path', true);
const GP3 = storageClass('gp3', 'ebs.csi.aws.com');
const K3S_PROVISIONER = 'provisioner rancher.io/local-path: Rancher\'s local-path-provisioner, the default class of k3s and kind';

/** customer1 with its `database` Deployment mounting claim `claimName`. */
function withDatabaseClaim(claimName = 'data'): Obj[] {
  const objects = customer();
  const spec = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'database')!.spec.template.spec;
  spec.volumes = [...(spec.volumes ?? []), { name: 'data', persistentVolumeClaim: { claimName } }];
  spec.containers[0].volumeMounts = [...(spec.containers[0].volumeMounts ?? []), { name: 'data', mountPath: '/var/lib/data' }];
  return objects;
}

const statefulSet = (name: string, templates: Obj[], namespace = 'customer1'): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name, namespace },
  spec: {
    serviceName: name,
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { ...HARDENED, containers: [container({ volumeMounts: templates.map(t => ({ name: t.metadata?.name ?? 'data', mountPath: '/data' })) })] } },
    volumeClaimTemplates: templates,
  },
});
const claimTemplate = (name: string, spec: Obj = {}): Obj => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } });
const ephemeralPod = (name: string, claimSpec: Obj): Obj => rawPod(name, {
  ...HARDENED,
  containers: [container({ volumeMounts: [{ name: 'cache', mountPath: '/cache' }] })],
  volumes: [{ name: 'cache', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...claimSpec } } } }],
});

function expectHostFailure(objects: Obj[], evidence: string[], reason: string, namespace = 'customer1'): void {
  const r = evidenceOf(objects, namespace);
  for (const id of HOST_CONTROLS) {
    expect([id, r[id].status]).toEqual([id, 'fail']);
    expect(r[id].evidence).toEqual(evidence);
    expect(r[id].reason).toBe(reason);
    expect(r[id].fix).toContain('bind claims to volumes that are not hostPath or local');
  }
  // Only the host path controls: the pods themselves are fine.
  for (const id of ['MTB-PL1-BC-CPI-5', 'MTB-PL1-BC-HI-3', 'CIS-5.2.7']) expect([id, r[id].status]).toEqual([id, 'pass']);
}

describe('a claim bound to a hostPath or local PersistentVolume fails the hostPath controls', () => {
  test('a hostPath PersistentVolume whose claimRef names the claim a Deployment mounts', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { storageClassName: 'gp3' }), GP3, pv('node-root', { ...NODE_ROOT, ...claimRef('data') })];
    expectHostFailure(objects,
      ['Namespace customer1', 'Deployment customer1/database', 'PersistentVolumeClaim customer1/data', 'PersistentVolume node-root'],
      'Deployment customer1/database mounts PersistentVolumeClaim customer1/data, bound to PersistentVolume node-root (hostPath /), '
        + 'whose spec.claimRef names customer1/data');
    // The other tenant has no claim of its own and cannot get the reserved volume.
    expect(evidenceOf([...objects, ...customer('customer2')], 'customer2')['MTB-PL1-BC-HI-1'].status).toBe('pass');
  });

  test('a claim whose spec.volumeName names an unbound hostPath PersistentVolume', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { volumeName: 'node-root', storageClassName: '' }), pv('node-root', NODE_ROOT)];
    expectHostFailure(objects,
      ['Namespace customer1', 'Deployment customer1/database', 'PersistentVolumeClaim customer1/data', 'PersistentVolume node-root'],
      'Deployment customer1/database mounts PersistentVolumeClaim customer1/data, bound to PersistentVolume node-root (hostPath /), which its spec.volumeName names');
  });

  test('a volumeName naming a volume reserved for another claim binds nothing: the claim stays pending', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { volumeName: 'node-root', storageClassName: 'gp3' }), GP3,
      pv('node-root', { ...NODE_ROOT, ...claimRef('platform-data', 'kube-system') })];
    expect(evidenceOf(objects)['MTB-PL1-BC-HI-1'].status).toBe('pass');
  });

  test('an unbound hostPath PersistentVolume of the claim\'s class may bind it', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { storageClassName: '' }), pv('node-root', { ...NODE_ROOT, storageClassName: '' })];
    expectHostFailure(objects,
      ['Namespace customer1', 'Deployment customer1/database', 'PersistentVolumeClaim customer1/data', 'PersistentVolume node-root'],
      'Deployment customer1/database mounts PersistentVolumeClaim customer1/data, which may bind PersistentVolume node-root (hostPath /): '
        + 'it is unbound and of the claim\'s class ""');
  });

  test('the legacy class annotation decides the class, before spec.storageClassName, on the claim and on the volume', () => {
    const claim = pvc('data', { storageClassName: 'gp3' });
    claim.metadata.annotations = { 'volume.beta.kubernetes.io/storage-class': 'manual' };
    const volume = pv('node-root', { ...NODE_ROOT, storageClassName: 'other' }, { annotations: { 'volume.beta.kubernetes.io/storage-class': 'manual' } });
    const r = evidenceOf([...withDatabaseClaim(), claim, volume, GP3, storageClass('manual', 'kubernetes.io/no-provisioner')]);
    expect(r['MTB-PL1-BC-HI-1'].reason).toContain('which may bind PersistentVolume node-root (hostPath /): it is unbound and of the claim\'s class "manual"');
  });

  test('a claim whose selector does not match the volume cannot bind it, but a claim created later can: the namespace fails unless its quota stops new claims', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { storageClassName: '', selector: { matchLabels: { disk: 'ssd' } } }),
      pv('node-root', { ...NODE_ROOT, storageClassName: '' }, { labels: { disk: 'hdd' } })];
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-BC-HI-1'].status).toBe('fail');
    expect(r['MTB-PL1-BC-HI-1'].evidence).toEqual(['Namespace customer1', 'PersistentVolume node-root']);
    expect(r['MTB-PL1-BC-HI-1'].reason).toBe('PersistentVolume node-root (hostPath /) is unbound (no spec.claimRef): a claim created in customer1 with storageClassName "" may bind it');
    objects.find(o => o.kind === 'ResourceQuota')!.spec.hard.persistentvolumeclaims = '0';
    const blocked = evidenceOf(objects)['MTB-PL1-BC-HI-1'];
    expect(blocked.status).toBe('pass');
    expect(blocked.reason).toContain('; none of the claims of customer1 (PersistentVolumeClaim customer1/data) is bound to, may bind or is provisioned a hostPath or local PersistentVolume; '
      + 'ResourceQuota customer1/namespace-quota sets persistentvolumeclaims to 0, so no claim created in customer1 with storageClassName "" can bind PersistentVolume node-root (hostPath /)');
    expect(blocked.evidence).toEqual(expect.arrayContaining(['PersistentVolumeClaim customer1/data', 'ResourceQuota customer1/namespace-quota', 'PersistentVolume node-root']));
  });

  test('a local PersistentVolume (a node\'s disk) is a host path too', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { storageClassName: '' }), pv('ssd-1', { ...LOCAL_DISK, storageClassName: 'local-storage', ...claimRef('data') })];
    expectHostFailure(objects,
      ['Namespace customer1', 'Deployment customer1/database', 'PersistentVolumeClaim customer1/data', 'PersistentVolume ssd-1'],
      'Deployment customer1/database mounts PersistentVolumeClaim customer1/data, bound to PersistentVolume ssd-1 (local /mnt/disks/ssd1), whose spec.claimRef names customer1/data');
  });

  test('a host volume reserved for a claim the input does not hold fails the namespace it names: the claim exists or can be made', () => {
    const objects = [...customer(), pv('node-root', { ...NODE_ROOT, ...claimRef('innocent') })];
    const r = evidenceOf(objects);
    expect(r['MTB-PL1-BC-HI-1']).toMatchObject({
      status: 'fail',
      evidence: ['Namespace customer1', 'PersistentVolume node-root'],
      reason: 'PersistentVolume node-root (hostPath /) names PersistentVolumeClaim customer1/innocent in spec.claimRef: that claim, which the input does not hold '
        + '(it may exist, or be created), gets a directory of a node whatever its class',
    });
    // A quota of no claims does not help: the volume says the claim is bound already, or binds it whatever its class.
    objects.find(o => o.kind === 'ResourceQuota')!.spec.hard.persistentvolumeclaims = '0';
    expect(evidenceOf(objects)['MTB-PL1-BC-HI-1'].status).toBe('fail');
  });
});

describe('a StorageClass that provisions host paths', () => {
  test('a StatefulSet\'s claim template of no class gets the default class, k3s\' local-path', () => {
    const objects = [...customer(), statefulSet('db', [claimTemplate('data')]), LOCAL_PATH];
    expectHostFailure(objects,
      ['Namespace customer1', 'StatefulSet customer1/db', 'StorageClass local-path'],
      'StatefulSet customer1/db mounts the claims of template "data" (spec.volumeClaimTemplates[0], named data-db-<ordinal>), '
        + `whose StorageClass local-path (${K3S_PROVISIONER}) provisions a directory of a node`);
  });

  test('a generic ephemeral volume of the local-path class', () => {
    const objects = [...customer(), ephemeralPod('scratch', { storageClassName: 'local-path' }), LOCAL_PATH];
    expectHostFailure(objects,
      ['Namespace customer1', 'Pod customer1/scratch', 'StorageClass local-path'],
      'Pod customer1/scratch mounts the ephemeral volume "cache" (spec.volumes[0].ephemeral), '
        + `whose StorageClass local-path (${K3S_PROVISIONER}) provisions a directory of a node`);
  });

  test('a claim of the template already in the input is the StatefulSet\'s, and a volume reserved for one ordinal binds it', () => {
    const objects = [...customer(), statefulSet('db', [claimTemplate('data', { storageClassName: 'gp3' })]), GP3, pvc('data-db-0', { storageClassName: 'gp3' }),
      pv('node-root', { ...NODE_ROOT, ...claimRef('data-db-0') })];
    const r = evidenceOf(objects)['MTB-PL1-BC-HI-1'];
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('StatefulSet customer1/db mounts PersistentVolumeClaim customer1/data-db-0, bound to PersistentVolume node-root (hostPath /), whose spec.claimRef names customer1/data-db-0; '
      + 'StatefulSet customer1/db mounts the claims of template "data" (spec.volumeClaimTemplates[0], named data-db-<ordinal>), bound to PersistentVolume node-root (hostPath /), '
      + 'whose spec.claimRef names customer1/data-db-0');
  });

  test('a namespace without claims fails while its tenants may create a claim of the class; a quota of 0 claims of that class passes it', () => {
    const objects = [...customer('customer2'), LOCAL_PATH];
    const r = evidenceOf(objects, 'customer2')['MTB-PL1-BC-HI-1'];
    expect(r).toMatchObject({
      status: 'fail',
      evidence: ['Namespace customer2', 'StorageClass local-path'],
      reason: `StorageClass local-path (${K3S_PROVISIONER}) provisions directories of nodes: a claim created in customer2 with storageClassName "local-path" `
        + '(or none: it is the default class) gets one',
    });
    objects.find(o => o.kind === 'ResourceQuota')!.spec.hard['local-path.storageclass.storage.k8s.io/persistentvolumeclaims'] = '0';
    const blocked = evidenceOf(objects, 'customer2')['MTB-PL1-BC-HI-1'];
    expect(blocked.status).toBe('pass');
    expect(blocked.reason).toMatch(/; ResourceQuota customer2\/namespace-quota sets local-path\.storageclass\.storage\.k8s\.io\/persistentvolumeclaims to 0, so no claim created in customer2/);
  });

  test.each([...HOST_PATH_PROVISIONERS.keys()])('%s is a host-path provisioner', provisioner => {
    const objects = [...withDatabaseClaim(), pvc('data', { storageClassName: 'nodes' }), storageClass('nodes', provisioner)];
    const r = evidenceOf(objects)['CIS-5.2.12'];
    expect(r.status).toBe('fail');
    expect(r.reason).toContain(`whose StorageClass nodes (provisioner ${provisioner}: `);
  });
});

describe('what the input cannot show does not pass', () => {
  test('a claim whose volumeName names a PersistentVolume the input does not hold', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { volumeName: 'pv-elsewhere', storageClassName: 'gp3' })];
    const r = evidenceOf(objects)['MTB-PL1-BC-HI-1'];
    expect(r).toMatchObject({
      status: 'fail',
      evidence: ['Namespace customer1', 'Deployment customer1/database', 'PersistentVolumeClaim customer1/data'],
      reason: 'Deployment customer1/database mounts PersistentVolumeClaim customer1/data, which names PersistentVolume pv-elsewhere (spec.volumeName), '
        + 'not in the input, so whether it is a directory of a node cannot be shown',
    });
    expect(r.fix).toContain('give the input the PersistentVolumes, claims and StorageClasses it names');
  });

  test('a claim of a StorageClass the input does not hold', () => {
    const r = evidenceOf([...withDatabaseClaim(), pvc('data', { storageClassName: 'fast' })])['CIS-5.2.12'];
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('Deployment customer1/database mounts PersistentVolumeClaim customer1/data, which asks for StorageClass fast, not in the input, so what it provisions cannot be shown');
  });

  test('a claim of no class while the input holds no default StorageClass', () => {
    const r = evidenceOf([...withDatabaseClaim(), pvc('data'), GP3])['MTB-PL1-BC-HI-1'];
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/^Deployment customer1\/database mounts PersistentVolumeClaim customer1\/data, which sets no storageClassName while the input holds no default StorageClass, so the class the cluster gives it .* cannot be shown$/);
  });

  test('a workload mounting a claim the input does not hold', () => {
    const r = evidenceOf(withDatabaseClaim('elsewhere'))['MTB-PL1-BC-HI-1'];
    expect(r).toMatchObject({
      status: 'fail',
      evidence: ['Namespace customer1', 'Deployment customer1/database'],
      reason: 'Deployment customer1/database mounts PersistentVolumeClaim customer1/elsewhere, which the input does not hold, so the volume behind it cannot be shown',
    });
  });
});

describe('claims of ordinary storage pass', () => {
  test('a claim bound to a CSI PersistentVolume passes, with the claim and the volume as evidence', () => {
    // As a dump shows a bound pair: the claim names the volume, the volume the claim.
    const objects = [...withDatabaseClaim(), pvc('data', { storageClassName: 'gp3', volumeName: 'pvc-1234' }), pv('pvc-1234', { ...CSI, storageClassName: 'gp3', ...claimRef('data') })];
    const r = evidenceOf(objects);
    for (const id of HOST_CONTROLS) {
      expect(r[id].status).toBe('pass');
      expect(r[id].evidence).toEqual(['Namespace customer1', 'Deployment customer1/database', 'Deployment customer1/backend', 'Deployment customer1/auth',
        'PersistentVolumeClaim customer1/data', 'PersistentVolume pvc-1234']);
      expect(r[id].reason).toBe('Namespace customer1 enforces Pod Security "restricted" (pod-security.kubernetes.io/enforce, version v1.35), which rejects hostPath volumes; '
        + 'none of its 3 workloads in the input has any; none of the claims of customer1 (PersistentVolumeClaim customer1/data) is bound to, may bind or is provisioned '
        + 'a hostPath or local PersistentVolume');
    }
  });

  test('a volume reserved for the claim does not settle it: the claim may still be provisioned by its class (the volume may be too small)', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { storageClassName: 'local-path' }), LOCAL_PATH, pv('decoy', { ...CSI, capacity: { storage: '1Mi' }, ...claimRef('data') })];
    const r = evidenceOf(objects)['MTB-PL1-BC-HI-1'];
    expect(r.status).toBe('fail');
    expect(r.reason).toBe(`Deployment customer1/database mounts PersistentVolumeClaim customer1/data, whose StorageClass local-path (${K3S_PROVISIONER}) provisions a directory of a node`);
    // With the volume named in spec.volumeName, the claim gets that volume or none.
    objects.find(o => o.kind === 'PersistentVolumeClaim')!.spec.volumeName = 'decoy';
    const named = evidenceOf(objects)['MTB-PL1-BC-HI-1'];
    expect(named.status).toBe('fail');
    expect(named.reason).toMatch(/^StorageClass local-path .* provisions directories of nodes: a claim created in customer1/);
  });

  test('claims of a CSI class: a StatefulSet template, an ephemeral volume and a claim of the default class', () => {
    const objects = [...withDatabaseClaim(), pvc('data'), storageClass('gp3', 'ebs.csi.aws.com', true),
      statefulSet('db', [claimTemplate('data', { storageClassName: 'gp3' })]), ephemeralPod('scratch', { storageClassName: 'gp3' })];
    const r = evidenceOf(objects)['MTB-PL1-BC-HI-1'];
    expect(r.status).toBe('pass');
    expect(r.evidence).toEqual(expect.arrayContaining(['PersistentVolumeClaim customer1/data', 'StorageClass gp3', 'StatefulSet customer1/db', 'Pod customer1/scratch']));
  });

  test('a namespace without claims passes exactly as before, whatever ordinary storage the input holds', () => {
    const before = evidenceOf(customer());
    const after = evidenceOf([...customer(), GP3, pv('pvc-1234', { ...CSI, storageClassName: 'gp3', ...claimRef('data', 'customer2') }), pvc('data', { storageClassName: 'gp3' }, 'customer2')]);
    for (const id of HOST_CONTROLS) expect(after[id]).toEqual(before[id]);
  });

  test('the Pod Security rules of check do not change: admission admits claims whatever backs them', () => {
    const objects = [...withDatabaseClaim(), pvc('data', { storageClassName: '' }), pv('node-root', { ...NODE_ROOT, ...claimRef('data') }),
      statefulSet('db', [claimTemplate('data')]), ephemeralPod('scratch', { storageClassName: 'local-path' }), LOCAL_PATH];
    const podSecurity = (objs: Obj[]) => evaluateRules(ClusterModel.fromObjects(objs)).filter(f => f.rule.id === 'pod-security').map(f => f.message);
    expect(podSecurity(objects)).toEqual([]);
    expect(podSecurity(customer())).toEqual([]);
  });
});

describe('hostile tenants: any route to a host path fails the hostPath controls', () => {
  // One route: the objects to add to customer1, whichever workload kind mounts the claim.
  const routes: Record<string, (mount: (claimName: string) => Obj[]) => Obj[]> = {
    'claimRef': mount => [...mount('data'), pvc('data', { storageClassName: 'gp3' }), GP3, pv('node-root', { ...NODE_ROOT, ...claimRef('data') })],
    'volumeName': mount => [...mount('data'), pvc('data', { volumeName: 'node-root', storageClassName: '' }), pv('node-root', NODE_ROOT)],
    'unbound volume': mount => [...mount('data'), pvc('data', { storageClassName: 'slow' }), storageClass('slow', 'nfs.csi.k8s.io'), pv('node-root', { ...NODE_ROOT, storageClassName: 'slow' })],
    'local volume': mount => [...mount('data'), pvc('data', { storageClassName: '' }), pv('ssd-1', { ...LOCAL_DISK, storageClassName: '' })],
    'host-path class': mount => [...mount('data'), pvc('data', { storageClassName: 'local-path' }), LOCAL_PATH],
    'default host-path class': mount => [...mount('data'), pvc('data'), LOCAL_PATH],
    'volume not in the input': mount => [...mount('data'), pvc('data', { volumeName: 'somewhere', storageClassName: '' })],
    'class not in the input': mount => [...mount('data'), pvc('data', { storageClassName: 'mystery' })],
    'claim not in the input': mount => mount('data'),
    'reserved volume, no claim yet': mount => [...mount('other'), pvc('other', { storageClassName: 'gp3' }), GP3, pv('node-root', { ...NODE_ROOT, ...claimRef('data') })],
    'StatefulSet template': () => [statefulSet('db', [claimTemplate('data', { storageClassName: 'local-path' })]), LOCAL_PATH],
    'ephemeral volume': () => [ephemeralPod('scratch', {}), storageClass('local', 'openebs.io/local', true)],
  };
  // Ways a workload mounts a claim.
  const mounts: Record<string, (claimName: string) => Obj[]> = {
    Deployment: claimName => withDatabaseClaim(claimName).filter(o => o.kind === 'Deployment' && o.metadata.name === 'database'),
    Pod: claimName => [rawPod('p', { ...HARDENED, containers: [container()], volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }] })],
    CronJob: claimName => [{
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'customer1' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { ...HARDENED, restartPolicy: 'Never', containers: [container()], volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }] } } } } },
    }],
    StatefulSet: claimName => {
      const set = statefulSet('cache', []);
      set.spec.template.spec.volumes = [{ name: 'v', persistentVolumeClaim: { claimName } }];
      return [set];
    },
    none: () => [],
  };

  test('random routes, workload kinds and companions never leave MTB-PL1-BC-HI-1 or CIS-5.2.12 passing', () => {
    fc.assert(fc.property(
      fc.constantFrom(...Object.keys(routes)),
      fc.constantFrom(...Object.keys(mounts)),
      fc.boolean(),
      (route, mount, withOrdinaryStorage) => {
        fc.pre(!(route === 'claim not in the input' && mount === 'none')); // no workload names the claim: no route at all
        const base = customer();
        const added = routes[route](mounts[mount]);
        const ordinary = withOrdinaryStorage ? [pv('pvc-9', { ...CSI, storageClassName: 'gp3', ...claimRef('safe') }), pvc('safe', { storageClassName: 'gp3' })] : [];
        const objects = [...base.filter(o => !added.some(a => a.kind === o.kind && a.metadata.name === o.metadata.name)), ...added, ...ordinary];
        const r = evidenceOf(objects);
        for (const id of HOST_CONTROLS) {
          expect([route, mount, id, r[id].status]).toEqual([route, mount, id, 'fail']);
          expect(r[id].evidence.some(e => /^(PersistentVolume|PersistentVolumeClaim|StorageClass|StatefulSet|Pod|Deployment|CronJob) /.test(e))).toBe(true);
        }
      },
    ), { numRuns: 150 });
  });
});
