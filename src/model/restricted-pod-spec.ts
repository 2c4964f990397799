import { isRecord } from '../private/json';

type Json = Record<string, unknown>;

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Fills in what Pod Security `restricted` requires and the user left unset, in place: a
 * RuntimeDefault seccomp profile for the pod (unless the pod or every container has one), and per
 * container `allowPrivilegeEscalation: false` and `capabilities.drop: [ALL]`, plus `runAsNonRoot:
 * true` for the pod when neither it nor the containers say. A field that is set, even to a value
 * `restricted` refuses, is kept: the synth-time Pod Security check then names it. Windows pods get
 * only what applies to them (restricted exempts them from seccomp and capabilities).
 */
export function fillRestrictedDefaults(spec: Json): void {
  const containers = CONTAINER_LISTS.flatMap(list => (Array.isArray(spec[list]) ? spec[list] as unknown[] : [])).filter(isRecord);
  const pod = isRecord(spec.securityContext) ? spec.securityContext : {};
  const windows = isRecord(spec.os) && spec.os.name === 'windows';
  const contexts = containers.map(c => mapping(c, 'securityContext'));

  const podDefaults: Json = {};
  if (!windows && pod.seccompProfile === undefined && !contexts.every(c => c.seccompProfile !== undefined)) {
    podDefaults.seccompProfile = { type: 'RuntimeDefault' };
  }
  if (pod.runAsNonRoot === undefined && contexts.some(c => c.runAsNonRoot === undefined)) podDefaults.runAsNonRoot = true;
  if (Object.keys(podDefaults).length > 0 && (spec.securityContext === undefined || isRecord(spec.securityContext))) {
    spec.securityContext = { ...pod, ...podDefaults };
  }
  for (const context of contexts) {
    if (context.allowPrivilegeEscalation === undefined) context.allowPrivilegeEscalation = false;
    if (windows) continue;
    const capabilities = mapping(context, 'capabilities');
    if (capabilities.drop === undefined) capabilities.drop = ['ALL'];
  }
}

/** The mapping at `key`, created empty when absent; a value of another type is left alone (a detached copy is returned). */
function mapping(holder: Json, key: string): Json {
  const value = holder[key];
  if (isRecord(value)) return value;
  if (value !== undefined && value !== null) return {};
  const created: Json = {};
  holder[key] = created;
  return created;
}
