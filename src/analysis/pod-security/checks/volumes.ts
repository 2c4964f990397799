import { asArray, asObject, asText, joinPath, isSet, quoteList } from '../pod';
import { CheckFn, Fields, Finding, PodSecurityCheckDefinition } from '../types';

interface VolumeRef {
  readonly name: string;
  readonly path: string;
  readonly fields: Fields;
}

function volumesOf(pod: { spec: Fields; specPath: string }): VolumeRef[] {
  const volumes: VolumeRef[] = [];
  asArray(pod.spec.volumes).forEach((item, index) => {
    const fields = asObject(item);
    if (fields) {
      volumes.push({ name: asText(fields.name), path: joinPath(pod.specPath, 'volumes', index), fields });
    }
  });
  return volumes;
}

/** Baseline: hostPath volumes expose the node's filesystem. */
const forbidHostPathVolumes: CheckFn = (pod) => volumesOf(pod)
  .filter((volume) => isSet(volume.fields.hostPath))
  .map((volume) => ({
    path: joinPath(volume.path, 'hostPath'),
    message: `hostPath volumes: volume ${JSON.stringify(volume.name)} uses hostPath; remove the hostPath volume ` +
      `${JSON.stringify(volume.name)} and use a persistentVolumeClaim, configMap, secret, emptyDir or another volume that is not on the node`,
  }));

export const hostPathVolumesCheck: PodSecurityCheckDefinition = {
  id: 'hostPathVolumes',
  level: 'baseline',
  variants: [{ since: 0, evaluate: forbidHostPathVolumes }],
};

// Inline volume sources restricted allows. A volume with any of them set is accepted,
// whatever else it sets (upstream tests for these first).
const ALLOWED_VOLUME_SOURCES = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
] as const;

// Every other inline source of the core/v1 Volume type, in the order upstream names the
// first one found. Together with the allowed ones this is the whole VolumeSource union.
const RESTRICTED_VOLUME_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
] as const;

/**
 * Restricted: only the allow-listed volume sources. A volume that names no source at all
 * is allowed: the API server defaults it to an emptyDir before admission runs.
 */
const allowOnlyRestrictedVolumeTypes: CheckFn = (pod) => {
  const findings: Finding[] = [];
  for (const volume of volumesOf(pod)) {
    if (ALLOWED_VOLUME_SOURCES.some((source) => isSet(volume.fields[source]))) {
      continue;
    }
    const source = RESTRICTED_VOLUME_SOURCES.find((name) => isSet(volume.fields[name]));
    if (source) {
      const name = JSON.stringify(volume.name);
      findings.push({
        path: joinPath(volume.path, source),
        message: `restricted volume types: volume ${name} uses restricted volume type ${quoteList([source])}; ` +
          `remove the ${source} volume ${name} and use one of the allowed types instead: ${ALLOWED_VOLUME_SOURCES.join(', ')}`,
      });
    }
  }
  return findings;
};

export const restrictedVolumesCheck: PodSecurityCheckDefinition = {
  id: 'restrictedVolumes',
  level: 'restricted',
  variants: [{ since: 0, evaluate: allowOnlyRestrictedVolumeTypes }],
  replaces: ['hostPathVolumes'],
};
