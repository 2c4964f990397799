import { asArray, asObject, asText, describeContainer, isSet, joinPath, valueAt } from '../pod';
import { CheckFn, Finding, PodSecurityCheckDefinition } from '../types';
import { securityContextOwners } from './common';

const HOST_NAMESPACE_FIELDS = [
  ['hostNetwork', 'network'],
  ['hostPID', 'process (PID)'],
  ['hostIPC', 'IPC'],
] as const;

/** Baseline: the pod must not join the node's network, PID or IPC namespace. */
const forbidHostNamespaces: CheckFn = (pod) => HOST_NAMESPACE_FIELDS
  .filter(([field]) => pod.spec[field] === true)
  .map(([field, namespace]) => ({
    path: joinPath(pod.specPath, field),
    message: `host namespaces: ${field}=true shares the node's ${namespace} namespace with the pod; ` +
      `remove ${field} from the pod spec or set it to false`,
  }));

export const hostNamespacesCheck: PodSecurityCheckDefinition = {
  id: 'hostNamespaces',
  level: 'baseline',
  variants: [{ since: 0, evaluate: forbidHostNamespaces }],
};

/** Baseline: no container port may bind a node port (hostPort 0 means unset). */
const forbidHostPorts: CheckFn = (pod) => {
  const findings: Finding[] = [];
  for (const container of pod.containers) {
    asArray(container.fields.ports).forEach((item, index) => {
      const hostPort = asObject(item)?.hostPort;
      if (isSet(hostPort) && Number(hostPort) !== 0) {
        findings.push({
          path: joinPath(container.path, 'ports', index, 'hostPort'),
          message: `hostPort: ${describeContainer(container)} uses hostPort ${asText(hostPort)}; ` +
            'remove hostPort (or set it to 0) and expose the port through a Service instead',
        });
      }
    });
  }
  return findings;
};

export const hostPortsCheck: PodSecurityCheckDefinition = {
  id: 'hostPorts',
  level: 'baseline',
  variants: [{ since: 0, evaluate: forbidHostPorts }],
};

// Probes and lifecycle hooks whose httpGet or tcpSocket action can name a host. tcpSocket is
// deprecated as a lifecycle action but still accepted, so it is checked there too.
const HOST_HANDLERS: readonly (readonly string[])[] = [
  ['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop'],
];
const HANDLER_ACTIONS = ['httpGet', 'tcpSocket'] as const;

/**
 * Baseline (v1.34+): probes and lifecycle hooks must not target another host, which would
 * let the kubelet be used to reach arbitrary addresses from the node.
 */
const forbidProbeAndLifecycleHosts: CheckFn = (pod) => {
  const findings: Finding[] = [];
  for (const container of pod.containers) {
    for (const handler of HOST_HANDLERS) {
      for (const action of HANDLER_ACTIONS) {
        const field = [...handler, action, 'host'];
        const host = asText(valueAt(container.fields, field));
        if (host !== '') {
          findings.push({
            path: joinPath(container.path, ...field),
            message: `probe or lifecycle host: ${describeContainer(container)} sets ${field.join('.')} to ` +
              `${JSON.stringify(host)}; remove the host field so the kubelet targets the pod's own IP`,
          });
        }
      }
    }
  }
  return findings;
};

export const hostProbesAndHostLifecycleCheck: PodSecurityCheckDefinition = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  variants: [{ since: 34, evaluate: forbidProbeAndLifecycleHosts }],
};

/** Baseline: Windows HostProcess containers run directly on the node; forbid them. */
const forbidWindowsHostProcess: CheckFn = (pod) => securityContextOwners(pod)
  .filter((owner) => asObject(owner.securityContext?.windowsOptions)?.hostProcess === true)
  .map((owner) => ({
    path: joinPath(owner.path, 'windowsOptions', 'hostProcess'),
    message: `hostProcess: ${owner.subject} must not set securityContext.windowsOptions.hostProcess=true; ` +
      'remove the field or set it to false',
  }));

export const windowsHostProcessCheck: PodSecurityCheckDefinition = {
  id: 'windowsHostProcess',
  level: 'baseline',
  variants: [{ since: 0, evaluate: forbidWindowsHostProcess }],
};
