// The types of the pod spec fields the Pod Security checks read. The checks read leniently (a
// `privileged: "true"` is not `true`), so a wrongly typed field would pass as unset; the API server
// rejects such an object outright, so it is refused here, once, before any check runs.
import { FieldError } from '../../model/manifests';
import { PodTemplateLocation } from '../../model/pod-template';
import { isRecord, joinPath } from '../../private/json';

/** Throws a FieldError for a value of the wrong type; null (unset, as for a Go pointer) is always allowed. */
type FieldType = (value: unknown, path: string) => void;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function wrong(path: string, expected: string, value: unknown): FieldError {
  return new FieldError(path, `must be ${expected}, not ${describe(value)} (the API server rejects the object)`);
}

const BOOLEAN: FieldType = (value, path) => {
  if (typeof value !== 'boolean') throw wrong(path, 'true or false', value);
};

const STRING: FieldType = (value, path) => {
  if (typeof value !== 'string') throw wrong(path, 'a string', value);
};

const INTEGER: FieldType = (value, path) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrong(path, 'an integer', value);
};

/** A mapping whose listed fields have the given types (other fields are not read, so not checked). */
function mapping(fields: Readonly<Record<string, FieldType>>): FieldType {
  return (value, path) => {
    if (!isRecord(value)) throw wrong(path, 'a mapping', value);
    for (const [name, type] of Object.entries(fields)) {
      const field = value[name];
      if (field !== undefined && field !== null) type(field, joinPath(path, name));
    }
  };
}

function list(item: FieldType): FieldType {
  return (value, path) => {
    if (!Array.isArray(value)) throw wrong(path, 'a list', value);
    value.forEach((entry, index) => item(entry, joinPath(path, index)));
  };
}

const STRING_MAP: FieldType = (value, path) => {
  if (!isRecord(value)) throw wrong(path, 'a mapping', value);
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== null) STRING(entry, joinPath(path, key));
  }
};

const PROFILE = mapping({ type: STRING, localhostProfile: STRING });

const SHARED_SECURITY_CONTEXT = {
  runAsNonRoot: BOOLEAN,
  runAsUser: INTEGER,
  runAsGroup: INTEGER,
  seLinuxOptions: mapping({ type: STRING, user: STRING, role: STRING, level: STRING }),
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  windowsOptions: mapping({ hostProcess: BOOLEAN }),
};

const POD_SECURITY_CONTEXT = mapping({
  ...SHARED_SECURITY_CONTEXT,
  sysctls: list(mapping({ name: STRING, value: STRING })),
});

const CONTAINER_SECURITY_CONTEXT = mapping({
  ...SHARED_SECURITY_CONTEXT,
  privileged: BOOLEAN,
  allowPrivilegeEscalation: BOOLEAN,
  procMount: STRING,
  capabilities: mapping({ add: list(STRING), drop: list(STRING) }),
});

const HANDLER = mapping({ httpGet: mapping({ host: STRING }), tcpSocket: mapping({ host: STRING }) });

const CONTAINER = mapping({
  name: STRING,
  securityContext: CONTAINER_SECURITY_CONTEXT,
  ports: list(mapping({ hostPort: INTEGER, containerPort: INTEGER })),
  livenessProbe: HANDLER,
  readinessProbe: HANDLER,
  startupProbe: HANDLER,
  lifecycle: mapping({ postStart: HANDLER, preStop: HANDLER }),
});

const POD_SPEC = mapping({
  securityContext: POD_SECURITY_CONTEXT,
  initContainers: list(CONTAINER),
  containers: list(CONTAINER),
  ephemeralContainers: list(CONTAINER),
  // Each volume source is a mapping; restrictedVolumes reads which ones are set.
  volumes: list((value, path) => {
    mapping({ name: STRING })(value, path);
    for (const [source, field] of Object.entries(value as Record<string, unknown>)) {
      if (source !== 'name' && field !== null) mapping({})(field, joinPath(path, source));
    }
  }),
  hostNetwork: BOOLEAN,
  hostPID: BOOLEAN,
  hostIPC: BOOLEAN,
  hostUsers: BOOLEAN,
  os: mapping({ name: STRING }),
});

/**
 * Checks the types of every field of a pod template that the Pod Security checks read.
 * @throws FieldError naming the field's path (relative to the object) for the first wrongly typed one.
 */
export function validatePodSecurityFields(template: PodTemplateLocation): void {
  POD_SPEC(template.spec, template.path);
  const annotations = template.metadata.annotations;
  if (annotations !== undefined && annotations !== null) STRING_MAP(annotations, joinPath(template.metadataPath, 'annotations'));
}
