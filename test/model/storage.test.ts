import { ClusterModel } from '../../src/model/cluster-model';
import { parseManifests } from '../../src/model/manifests';
import { manifestErrorOf } from '../helpers';

const STORAGE = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: node-root
  namespace: ignored
  annotations: {volume.beta.kubernetes.io/storage-class: legacy}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath: {path: /}
  claimRef: {kind: PersistentVolumeClaim, namespace: shop, name: data, uid: 1234}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: ssd-1}
spec:
  capacity: {storage: 100Gi}
  accessModes: [ReadWriteOnce]
  local: {path: /mnt/disks/ssd1}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-path
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: rancher.io/local-path
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: gp3}
provisioner: ebs.csi.aws.com
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec:
  storageClassName: ""
  volumeName: node-root
  selector: {matchLabels: {disk: ssd}}
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: scratch}
spec: {resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: db}]
      volumes:
      - {name: data, persistentVolumeClaim: {claimName: overridden}}
      - {name: shared, persistentVolumeClaim: {claimName: data}}
      - name: cache
        ephemeral:
          volumeClaimTemplate:
            metadata: {annotations: {volume.beta.kubernetes.io/storage-class: fast}}
            spec: {storageClassName: slow, resources: {requests: {storage: 1Gi}}}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {storageClassName: gp3, resources: {requests: {storage: 1Gi}}}
`;

describe('the storage kinds in the model', () => {
  const model = ClusterModel.fromManifests(parseManifests(STORAGE, 'storage.yaml'));

  test('PersistentVolumes are cluster-scoped: their class as the binder reads it (the legacy annotation first), their claim and their node path', () => {
    expect(model.persistentVolumes.map(p => [p.name, p.namespace, p.storageClass, p.claimRef, p.nodePath])).toEqual([
      ['node-root', undefined, 'legacy', { namespace: 'shop', name: 'data' }, { source: 'hostPath', path: '/' }],
      ['ssd-1', undefined, '', undefined, { source: 'local', path: '/mnt/disks/ssd1' }],
    ]);
  });

  test('StorageClasses: the provisioner and the default-class annotation', () => {
    expect(model.storageClasses.map(c => [c.name, c.provisioner, c.isDefault])).toEqual([['local-path', 'rancher.io/local-path', true], ['gp3', 'ebs.csi.aws.com', false]]);
  });

  test('PersistentVolumeClaims: volumeName, a class of "" kept apart from none, the selector; a claim without a namespace is in default', () => {
    const [data] = model.namespace('shop')!.persistentVolumeClaims;
    expect([data.volumeName, data.storageClass, data.selector?.text]).toEqual(['node-root', '', 'disk=ssd']);
    const [scratch] = model.namespace('default')!.persistentVolumeClaims;
    expect([scratch.name, scratch.volumeName, scratch.storageClass, scratch.selector]).toEqual(['scratch', undefined, undefined, undefined]);
    expect(model.persistentVolumeClaims.map(c => `${c.namespace}/${c.name}`)).toEqual(['shop/data', 'default/scratch']);
  });

  test('the claims a StatefulSet uses: its templates, a named claim, an ephemeral volume; a pod volume named like a template is the template\'s', () => {
    const [db] = model.workloads;
    expect(model.claimsOf(db).map(c => [c.source, c.name, c.path, c.spec?.storageClass])).toEqual([
      ['template', 'data', 'spec.volumeClaimTemplates[0]', 'gp3'],
      ['claim', 'data', 'spec.template.spec.volumes[1].persistentVolumeClaim', undefined],
      ['ephemeral', 'cache', 'spec.template.spec.volumes[2].ephemeral', 'fast'],
    ]);
  });

  test('a later copy of a PersistentVolume replaces the earlier one, whatever metadata.namespace says', () => {
    const later = `${STORAGE}---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: node-root}\nspec: {csi: {driver: d, volumeHandle: h}}\n`;
    const volumes = ClusterModel.fromManifests(parseManifests(later, 'storage.yaml')).persistentVolumes;
    expect(volumes.map(p => [p.name, p.nodePath])).toEqual([['ssd-1', { source: 'local', path: '/mnt/disks/ssd1' }], ['node-root', undefined]]);
  });
});

describe('bad storage input is a ManifestError naming the file, the document, the object and the field', () => {
  const PV = (spec: string) => `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: node-root}\nspec: ${spec}\n`;
  test.each([
    ['a claimRef that is a string', PV('{hostPath: {path: /}, claimRef: shop/data}'), 'PersistentVolume node-root: spec.claimRef: must be a mapping naming the claim (namespace and name)'],
    ['a claimRef without a namespace', PV('{hostPath: {path: /}, claimRef: {name: data}}'), 'PersistentVolume node-root: spec.claimRef.namespace: must be the namespace of the PersistentVolumeClaim the volume is bound to'],
    ['a claimRef whose name is a number', PV('{claimRef: {namespace: shop, name: 7}}'), 'PersistentVolume node-root: spec.claimRef.name: must be the name of the PersistentVolumeClaim'],
    ['a hostPath without a path', PV('{hostPath: {}}'), 'PersistentVolume node-root: spec.hostPath.path: must be the path of a directory on the node'],
    ['a local source that is a list', PV('{local: [/mnt]}'), 'PersistentVolume node-root: spec.local: must be a mapping'],
    ['a storageClassName that is a mapping', PV('{storageClassName: {name: x}}'), 'PersistentVolume node-root: spec.storageClassName: must be a string'],
    ['a PersistentVolume without a name', 'apiVersion: v1\nkind: PersistentVolume\nmetadata: {}\nspec: {}\n', 'PersistentVolume: metadata.name: is required'],
    ['a StorageClass without a provisioner', 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: x}\n', 'StorageClass x: provisioner: is required'],
    ['a claim whose volumeName is a number', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: shop}\nspec: {volumeName: 7}\n',
      'PersistentVolumeClaim shop/data: spec.volumeName: must be a string'],
    ['a claim with a bad selector', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: shop}\nspec: {selector: {matchExpressions: [{key: a, operator: Near}]}}\n',
      'PersistentVolumeClaim shop/data: spec.selector.matchExpressions[0].operator: unknown operator "Near"'],
    ['a volume naming no claim', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: a, image: a}], volumes: [{name: v, persistentVolumeClaim: {}}]}\n',
      'Pod shop/p: spec.volumes[0].persistentVolumeClaim.claimName: must be the name of a PersistentVolumeClaim in the namespace'],
    ['a claim template without a name', 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec: {template: {spec: {containers: []}}, volumeClaimTemplates: [{spec: {}}]}\n',
      'StatefulSet shop/db: spec.volumeClaimTemplates[0].metadata.name: is required'],
    ['an ephemeral volume without a claim template', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: a, image: a}], volumes: [{name: v, ephemeral: {}}]}\n',
      'Pod shop/p: spec.volumes[0].ephemeral.volumeClaimTemplate: is required'],
  ])('%s', (_name, yaml, message) => {
    const error = manifestErrorOf(() => ClusterModel.fromManifests(parseManifests(`apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n${yaml}`, 'storage.yaml')));
    expect(error.message).toContain(`storage.yaml document 2: ${message}`);
    expect(error.document).toBe(2);
  });
});
