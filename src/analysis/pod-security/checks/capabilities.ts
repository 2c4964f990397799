import { asArray, asObject, asText, describeContainer, joinPath, quoteList } from '../pod';
import { CheckFn, ContainerRef, Finding, PodSecurityCheckDefinition } from '../types';
import { exemptWindowsPods } from './common';

// The container runtime's default capability set: adding these back is harmless.
const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

function capabilitiesOf(container: ContainerRef) {
  const capabilities = asObject(container.securityContext?.capabilities);
  return {
    present: capabilities !== undefined,
    add: asArray(capabilities?.add).map(asText),
    drop: asArray(capabilities?.drop).map(asText),
  };
}

/** Distinct values, sorted, for stable messages. */
function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Baseline: capabilities.add may only contain the default set (names are case-sensitive). */
const forbidNonDefaultCapabilities: CheckFn = (pod) => {
  const findings: Finding[] = [];
  for (const container of pod.containers) {
    const added = distinctSorted(capabilitiesOf(container).add.filter((name) => !DEFAULT_CAPABILITIES.has(name)));
    if (added.length > 0) {
      findings.push({
        path: joinPath(container.path, 'securityContext', 'capabilities', 'add'),
        message: `non-default capabilities: ${describeContainer(container)} must not include ${quoteList(added)} ` +
          `in securityContext.capabilities.add; remove them (baseline only allows adding ${[...DEFAULT_CAPABILITIES].join(', ')})`,
      });
    }
  }
  return findings;
};

export const capabilitiesBaselineCheck: PodSecurityCheckDefinition = {
  id: 'capabilities_baseline',
  level: 'baseline',
  variants: [{ since: 0, evaluate: forbidNonDefaultCapabilities }],
};

/** Restricted: drop ALL, and add nothing but NET_BIND_SERVICE. */
const requireDropAll: CheckFn = (pod) => {
  const findings: Finding[] = [];
  for (const container of pod.containers) {
    const capabilities = capabilitiesOf(container);
    const capabilitiesPath = joinPath(container.path, 'securityContext', 'capabilities');
    if (!capabilities.drop.includes('ALL')) {
      findings.push({
        path: joinPath(capabilitiesPath, 'drop'),
        message: `unrestricted capabilities: ${describeContainer(container)} must drop ALL capabilities: ` +
          'set securityContext.capabilities.drop: ["ALL"]',
      });
    }
    const added = distinctSorted(capabilities.add.filter((name) => name !== 'NET_BIND_SERVICE'));
    if (added.length > 0) {
      findings.push({
        path: joinPath(capabilitiesPath, 'add'),
        message: `unrestricted capabilities: ${describeContainer(container)} must not include ${quoteList(added)} ` +
          'in securityContext.capabilities.add; remove them (restricted only allows adding NET_BIND_SERVICE)',
      });
    }
  }
  return findings;
};

export const capabilitiesRestrictedCheck: PodSecurityCheckDefinition = {
  id: 'capabilities_restricted',
  level: 'restricted',
  variants: [
    { since: 22, evaluate: requireDropAll },
    { since: 25, evaluate: exemptWindowsPods(requireDropAll) },
  ],
  replaces: ['capabilities_baseline'],
};
