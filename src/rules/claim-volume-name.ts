import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel, PersistentVolume, PersistentVolumeClaim } from '../model/cluster-model';

// Set by the PersistentVolume controller on a volume whose claimRef it wrote itself (at a claim's
// request), as opposed to a volume created with its claimRef (pre-bound by the platform, or by a provisioner).
const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';

/**
 * Which PersistentVolume a claim gets is the platform's: a claim of a managed namespace that names
 * one in `spec.volumeName` takes that volume if it is free, whoever's data it holds (a Released
 * volume of another tenant whose claimRef was cleared, a hostPath or local volume of a node
 * directory). The platform binds a volume to a claim with the volume's `claimRef`. A claim is not a
 * finding when the input holds its volume and the volume's claimRef, not written by the controller,
 * names it (pre-bound by the platform or provisioned for it).
 */
export const claimVolumeNameRule: Rule = {
  id: RuleId.CLAIM_VOLUME_NAME,
  severity: FindingSeverity.ERROR,
  summary: 'a PersistentVolumeClaim of a managed namespace names the PersistentVolume it wants (spec.volumeName)',
  description: 'A PersistentVolumeClaim of a managed namespace sets spec.volumeName: it claims a PersistentVolume of its choice if that volume is free, possibly another tenant\'s released data or a hostPath or local volume of a node. Platforms bind volumes with the volume\'s claimRef instead, and claims get theirs from a StorageClass.',
  remedy: 'Remove spec.volumeName and request storage through a StorageClass; to give a namespace a particular volume, set the volume\'s spec.claimRef to the claim (and include the PersistentVolume in the input). Acknowledge claim-volume-name on the claim only with the reason.',
  securitySeverity: 7.5,
  acknowledgedOn: 'object',
  objectKinds: ['PersistentVolumeClaim'],
  check(model: ClusterModel): RuleHit[] {
    const volumes = new Map(model.persistentVolumes.map(v => [v.name, v]));
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces.filter(n => n.managed)) {
      for (const claim of ns.persistentVolumeClaims) {
        if (claim.volumeName === undefined || claim.volumeName === '') continue;
        const volume = volumes.get(claim.volumeName);
        if (volume && preBound(volume, claim)) continue;
        hits.push({
          object: claim,
          namespace: ns.name,
          message: `PersistentVolumeClaim "${claim.name}" in namespace "${ns.name}" sets spec.volumeName "${claim.volumeName}" `
            + `(${describe(volume, claim)}): it takes that volume, whoever's data it holds, if the volume is free`,
          fix: 'remove spec.volumeName and request storage through a StorageClass; the platform pre-binds a volume with its spec.claimRef',
        });
      }
    }
    return hits;
  },
};

function preBound(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.claimRef;
  return ref !== undefined && ref.namespace === claim.namespace && ref.name === claim.name && volume.annotations[BOUND_BY_CONTROLLER] === undefined;
}

function describe(volume: PersistentVolume | undefined, claim: PersistentVolumeClaim): string {
  if (volume === undefined) return 'a PersistentVolume the input does not hold; add the PersistentVolumes to the input to tell a pre-binding of the platform\'s';
  const parts: string[] = [volume.nodePath ? `a ${volume.nodePath.source} volume of the node directory "${volume.nodePath.path}"` : 'a PersistentVolume'];
  const ref = volume.claimRef;
  if (ref && (ref.namespace !== claim.namespace || ref.name !== claim.name)) parts.push(`bound or reserved for claim "${ref.name}" of namespace "${ref.namespace}"`);
  else if (ref) parts.push('bound to this claim by the controller at the claim\'s request');
  else parts.push('bound to no claim');
  return parts.join(', ');
}
