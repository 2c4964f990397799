// What the model reads of storage: PersistentVolumes, PersistentVolumeClaims, StorageClasses, and
// the claims a workload's pods use (by name, through a generic ephemeral volume, or through a
// StatefulSet's claim templates). Host paths reach pods this way past Pod Security admission,
// which rejects inline hostPath volumes only.
import { Labels, LabelSelector, parseStringMap } from './labels';
import { FieldError, KubeObject } from './manifests';
import { PodTemplateLocation } from './pod-template';
import { apiGroupOf } from './vocabulary';
import { isRecord, joinPath } from '../private/json';

/** The legacy class annotation, which the binder reads before `spec.storageClassName` on claims and volumes. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The annotations that make a StorageClass the default one (`"true"`), the beta one still read. */
export const DEFAULT_STORAGE_CLASS_ANNOTATIONS: readonly string[] = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/** A directory of a node that a PersistentVolume hands to pods: its `hostPath` or `local` source. */
export interface NodePath {
  readonly source: 'hostPath' | 'local';
  readonly path: string;
}

/** The claim a PersistentVolume is bound or reserved to. */
export interface ClaimRef {
  readonly namespace: string;
  readonly name: string;
}

/** What the model keeps of a PersistentVolume. */
export interface PersistentVolumeFacts {
  /** `spec.claimRef`: the claim it is bound to, or reserved for (a claim of that name gets it whatever its class). */
  readonly claimRef?: ClaimRef;
  /** Its class as the binder reads it: the beta annotation, else `spec.storageClassName`, else `''`. */
  readonly storageClass: string;
  /** A `hostPath` or `local` volume: a directory of a node. */
  readonly nodePath?: NodePath;
}

/** What the binder reads of a claim's spec (an object's, or an embedded template's). */
export interface ClaimSpecFacts {
  /** `spec.volumeName`: the PersistentVolume it asks for by name. */
  readonly volumeName?: string;
  /**
   * The class it asks for: the beta annotation, else `spec.storageClassName` (`''` asks for a
   * volume without a class, which nothing provisions); undefined when neither is set, so the
   * default StorageClass is written in when the claim is created.
   */
  readonly storageClass?: string;
  /** `spec.selector`: only PersistentVolumes whose labels it matches may bind the claim. */
  readonly selector?: LabelSelector;
}

/** What the model keeps of a StorageClass. */
export interface StorageClassFacts {
  /** The volume plugin that provisions volumes of the class. */
  readonly provisioner: string;
  /** Annotated as the default class, which claims that name none get. */
  readonly isDefault: boolean;
}

/** How a workload's pods come by a claim. */
export type WorkloadClaimSource = 'claim' | 'ephemeral' | 'template';

/** A claim a workload's pods use. */
export interface WorkloadClaim {
  /**
   * `claim`: a volume naming a PersistentVolumeClaim (`persistentVolumeClaim.claimName`);
   * `ephemeral`: a generic ephemeral volume, whose claim `<pod>-<volume>` Kubernetes makes from the
   * template; `template`: a StatefulSet's `volumeClaimTemplates` entry, whose claims are
   * `<template>-<statefulset>-<ordinal>`.
   */
  readonly source: WorkloadClaimSource;
  /** The field that declares it, e.g. `spec.template.spec.volumes[0].persistentVolumeClaim`. */
  readonly path: string;
  /** The claim's name (`claim`), the volume's (`ephemeral`) or the template's (`template`). */
  readonly name: string;
  /** The claim spec of an ephemeral volume or a claim template. */
  readonly spec?: ClaimSpecFacts;
}

export function readPersistentVolume(o: KubeObject, annotations: Labels): PersistentVolumeFacts {
  const spec = mapping(o.spec, 'spec');
  const claimRef = readClaimRef(spec.claimRef);
  const nodePath = nodePathOf(spec, 'hostPath') ?? nodePathOf(spec, 'local');
  return {
    ...(claimRef ? { claimRef } : {}),
    storageClass: annotations[BETA_STORAGE_CLASS_ANNOTATION] ?? optionalString(spec.storageClassName, 'spec.storageClassName') ?? '',
    ...(nodePath ? { nodePath } : {}),
  };
}

export function readPersistentVolumeClaim(o: KubeObject, annotations: Labels): ClaimSpecFacts {
  return readClaimSpec(o.spec, annotations, 'spec');
}

export function readStorageClass(o: KubeObject, annotations: Labels): StorageClassFacts {
  const provisioner = o.provisioner;
  if (typeof provisioner !== 'string' || provisioner === '') {
    throw new FieldError('provisioner', 'is required: the volume plugin that provisions the class\'s volumes, e.g. "ebs.csi.aws.com"');
  }
  return { provisioner, isDefault: DEFAULT_STORAGE_CLASS_ANNOTATIONS.some(a => annotations[a] === 'true') };
}

/**
 * The claims a workload's pods use: volumes naming a claim, generic ephemeral volumes, and a
 * StatefulSet's claim templates (a pod volume named like a template is the template's: the
 * StatefulSet controller replaces it).
 */
export function readWorkloadClaims(o: KubeObject, template: PodTemplateLocation): WorkloadClaim[] {
  const claims: WorkloadClaim[] = [];
  const templateNames = new Set<string>();
  if (o.kind === 'StatefulSet' && apiGroupOf(o.apiVersion) === 'apps') {
    const spec = isRecord(o.spec) ? o.spec : {};
    const templates = spec.volumeClaimTemplates;
    if (templates !== undefined && templates !== null && !Array.isArray(templates)) throw new FieldError('spec.volumeClaimTemplates', 'must be a list');
    (Array.isArray(templates) ? templates : []).forEach((raw: unknown, i) => {
      const path = `spec.volumeClaimTemplates[${i}]`;
      const entry = mapping(raw, path);
      const metadata = mapping(entry.metadata, `${path}.metadata`);
      const name = metadata.name;
      if (typeof name !== 'string' || name === '') throw new FieldError(`${path}.metadata.name`, 'is required: the claims are named <template>-<statefulset>-<ordinal>');
      templateNames.add(name);
      const annotations = parseStringMap(metadata.annotations, `${path}.metadata.annotations`);
      claims.push({ source: 'template', path, name, spec: readClaimSpec(entry.spec, annotations, `${path}.spec`) });
    });
  }
  const volumes = template.spec.volumes;
  if (!Array.isArray(volumes)) return claims;
  volumes.forEach((volume, i) => {
    if (!isRecord(volume)) return;
    const path = joinPath(template.path, 'volumes', i);
    if (volume.persistentVolumeClaim !== undefined && volume.persistentVolumeClaim !== null && !templateNames.has(String(volume.name))) {
      const source = mapping(volume.persistentVolumeClaim, `${path}.persistentVolumeClaim`);
      const claimName = source.claimName;
      if (typeof claimName !== 'string' || claimName === '') {
        throw new FieldError(`${path}.persistentVolumeClaim.claimName`, 'must be the name of a PersistentVolumeClaim in the namespace');
      }
      claims.push({ source: 'claim', path: `${path}.persistentVolumeClaim`, name: claimName });
    }
    if (volume.ephemeral !== undefined && volume.ephemeral !== null) {
      const ephemeral = mapping(volume.ephemeral, `${path}.ephemeral`);
      const claimTemplate = ephemeral.volumeClaimTemplate;
      if (!isRecord(claimTemplate)) {
        throw new FieldError(`${path}.ephemeral.volumeClaimTemplate`, 'is required: the claim Kubernetes makes for each pod');
      }
      const metadata = mapping(claimTemplate.metadata, `${path}.ephemeral.volumeClaimTemplate.metadata`);
      const annotations = parseStringMap(metadata.annotations, `${path}.ephemeral.volumeClaimTemplate.metadata.annotations`);
      const name = typeof volume.name === 'string' ? volume.name : '';
      claims.push({
        source: 'ephemeral',
        path: `${path}.ephemeral`,
        name,
        spec: readClaimSpec(claimTemplate.spec, annotations, `${path}.ephemeral.volumeClaimTemplate.spec`),
      });
    }
  });
  return claims;
}

function readClaimSpec(raw: unknown, annotations: Labels, path: string): ClaimSpecFacts {
  const spec = mapping(raw, path);
  const volumeName = optionalString(spec.volumeName, `${path}.volumeName`);
  const storageClass = annotations[BETA_STORAGE_CLASS_ANNOTATION] ?? optionalString(spec.storageClassName, `${path}.storageClassName`);
  const selector = spec.selector === undefined || spec.selector === null ? undefined : LabelSelector.parse(spec.selector, `${path}.selector`);
  return {
    ...(volumeName ? { volumeName } : {}),
    ...(storageClass !== undefined ? { storageClass } : {}),
    ...(selector ? { selector } : {}),
  };
}

function readClaimRef(raw: unknown): ClaimRef | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) throw new FieldError('spec.claimRef', 'must be a mapping naming the claim (namespace and name)');
  for (const field of ['namespace', 'name'] as const) {
    const value = raw[field];
    if (typeof value !== 'string' || value === '') {
      throw new FieldError(`spec.claimRef.${field}`, `must be the ${field} of the PersistentVolumeClaim the volume is bound to`);
    }
  }
  return { namespace: raw.namespace as string, name: raw.name as string };
}

function nodePathOf(spec: Record<string, unknown>, source: NodePath['source']): NodePath | undefined {
  const raw = spec[source];
  if (raw === undefined || raw === null) return undefined;
  const path = mapping(raw, `spec.${source}`).path;
  if (typeof path !== 'string' || path === '') throw new FieldError(`spec.${source}.path`, 'must be the path of a directory on the node');
  return { source, path };
}

/** A mapping field, `{}` when absent. */
function mapping(raw: unknown, path: string): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw new FieldError(path, 'must be a mapping');
  return raw;
}

function optionalString(raw: unknown, path: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw new FieldError(path, 'must be a string');
  return raw;
}
