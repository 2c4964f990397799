// What the API server knows about a request before any policy runs: its resource, namespace, name
// and user, and the labels the selectors read. Built once per request from the objects themselves.
import { GroupVersionKind, groupVersionKind, guessResource, KindResource } from './resources';
import { Operation, RuleTarget } from './rules';
import { UserInfo } from './user-info';
import { Labels, parseLabels } from '../../model/labels';
import { FieldError, KubeObject, ManifestError, manifestError, Origin } from '../../model/manifests';
import { NAMESPACE_NAME_LABEL } from '../../model/vocabulary';

/** The operations a request built from manifests can have. */
export type RequestOperation = Exclude<Operation, 'CONNECT'>;

export const REQUEST_OPERATIONS: readonly RequestOperation[] = ['CREATE', 'UPDATE', 'DELETE'];

/** One request to admit. */
export interface AdmissionRequest {
  readonly operation: RequestOperation;
  /** The object as written: required for CREATE and UPDATE, null for DELETE. */
  readonly object: KubeObject | null;
  /** The object as stored: required for UPDATE and DELETE, null for CREATE. */
  readonly oldObject: KubeObject | null;
  readonly userInfo: UserInfo;
  /** Where the object came from, for error messages. */
  readonly origin?: Origin;
}

/** A Namespace of the input: its labels (with the name label the API server sets) and its object. */
export interface NamespaceEntry {
  readonly labels: Labels;
  readonly object: KubeObject;
}

export interface AdmissionAttributes extends RuleTarget {
  readonly request: AdmissionRequest;
  readonly kind: GroupVersionKind;
  readonly object: KubeObject | null;
  readonly oldObject: KubeObject | null;
  /** The namespace the object lives in, null for cluster-scoped objects (Namespaces included). */
  readonly objectNamespace: string | null;
  /** The Namespace a namespaced object lives in (`namespaceObject` in CEL). */
  readonly namespaceObject: KubeObject | null;
  /** The labels namespaceSelectors match; undefined for a cluster-scoped object other than a Namespace. */
  readonly namespaceLabels: Labels | undefined;
  /** Labels of the object and the old object, null where there is no such object. */
  readonly objectLabels: Labels | null;
  readonly oldObjectLabels: Labels | null;
}

/**
 * Reads the request; throws a ManifestError for input the API server could not have received.
 * `resourceOf` gives the resource and scope a kind is served as, undefined for a kind it does not
 * know (whose resource is then guessed, namespaced when the object has metadata.namespace).
 */
export function admissionAttributes(
  request: AdmissionRequest,
  namespaces: (name: string) => NamespaceEntry | undefined,
  resourceOf: (gvk: GroupVersionKind) => KindResource | undefined,
): AdmissionAttributes {
  const { operation, object, oldObject } = request;
  if ((operation === 'DELETE') !== (object === null) || (operation === 'CREATE') !== (oldObject === null)) {
    throw inputError(request, `a ${operation} request needs ${describeNeeds(operation)}`);
  }
  const subject = (object ?? oldObject)!;
  const kind = groupVersionKind(subject.apiVersion, subject.kind);
  const isNamespace = kind.group === '' && kind.kind === 'Namespace';
  const known = resourceOf(kind);
  const metadataNamespace = stringOr(subject.metadata?.namespace, '');
  const resource = known?.resource ?? guessResource(kind.kind);
  const namespaced = known ? known.namespaced : metadataNamespace !== '';
  const name = stringOr(subject.metadata?.name, '');
  const objectLabels = object && labelsOf(object, isNamespace, request);
  const oldObjectLabels = oldObject && labelsOf(oldObject, isNamespace, request);

  let objectNamespace: string | null = null;
  let namespaceObject: KubeObject | null = null;
  let namespaceLabels: Labels | undefined;
  if (isNamespace) {
    // A Namespace is matched on its own labels: the new ones when written, the stored ones when deleted.
    namespaceLabels = (operation === 'DELETE' ? oldObjectLabels : objectLabels) ?? {};
  } else if (namespaced) {
    objectNamespace = metadataNamespace === '' ? 'default' : metadataNamespace;
    const entry = namespaces(objectNamespace);
    if (!entry) {
      throw inputError(request, `${subject.kind} ${objectNamespace}/${name}: namespace ${objectNamespace} is not in the manifests; `
        + 'add its Namespace to -f so that namespace selectors and Pod Security labels can be read');
    }
    namespaceObject = entry.object;
    namespaceLabels = entry.labels;
  }
  return {
    request,
    operation,
    group: kind.group,
    version: kind.version,
    resource,
    subResource: '',
    // The API server names a Namespace's own request after the namespace, except when creating it.
    namespace: objectNamespace ?? (isNamespace && operation !== 'CREATE' ? name : ''),
    name,
    kind,
    object: object && withNamespaceNameLabel(object, isNamespace),
    oldObject: oldObject && withNamespaceNameLabel(oldObject, isNamespace),
    objectNamespace,
    namespaceObject,
    namespaceLabels,
    objectLabels,
    oldObjectLabels,
  };
}

function describeNeeds(operation: RequestOperation): string {
  switch (operation) {
    case 'CREATE': return 'the new object and no old object';
    case 'UPDATE': return 'both the new and the old object';
    case 'DELETE': return 'the old object only';
  }
}

/** A ManifestError naming where the object came from. */
export function inputError(request: AdmissionRequest, problem: string): ManifestError {
  return request.origin ? manifestError(request.origin, problem) : new ManifestError(problem);
}

function labelsOf(o: KubeObject, isNamespace: boolean, request: AdmissionRequest): Labels {
  let labels: Labels;
  try {
    labels = parseLabels(o.metadata?.labels, 'metadata.labels');
  } catch (e) {
    if (e instanceof FieldError) throw inputError(request, `${o.kind}: ${e.message}`);
    throw e;
  }
  const name = stringOr(o.metadata?.name, '');
  return isNamespace && name !== '' ? { ...labels, [NAMESPACE_NAME_LABEL]: name } : labels;
}

/** A Namespace as the API server stores it: defaulting gives it the `kubernetes.io/metadata.name` label. */
function withNamespaceNameLabel(o: KubeObject, isNamespace: boolean): KubeObject {
  const name = o.metadata?.name;
  if (!isNamespace || typeof name !== 'string' || name === '') return o;
  const labels = typeof o.metadata?.labels === 'object' && o.metadata.labels !== null ? o.metadata.labels : {};
  return { ...o, metadata: { ...o.metadata, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name } } };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
