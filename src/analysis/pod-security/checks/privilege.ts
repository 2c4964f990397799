import { describeContainer, isSet, joinPath } from '../pod';
import { CheckFn, PodSecurityCheckDefinition } from '../types';
import { exemptWindowsPods, relaxedInUserNamespace } from './common';

/** Restricted: each container must say allowPrivilegeEscalation=false; unset means true. */
const requireNoPrivilegeEscalation: CheckFn = (pod) => pod.containers
  .filter((container) => container.securityContext?.allowPrivilegeEscalation !== false)
  .map((container) => {
    const value = container.securityContext?.allowPrivilegeEscalation;
    return {
      path: joinPath(container.path, 'securityContext', 'allowPrivilegeEscalation'),
      message: `allowPrivilegeEscalation != false: ${describeContainer(container)} must set ` +
        `securityContext.allowPrivilegeEscalation=false (${isSet(value) ? `it is ${JSON.stringify(value)}` : 'unset means true'})`,
    };
  });

export const allowPrivilegeEscalationCheck: PodSecurityCheckDefinition = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  variants: [
    { since: 8, evaluate: requireNoPrivilegeEscalation },
    { since: 25, evaluate: exemptWindowsPods(requireNoPrivilegeEscalation) },
  ],
};

/** Baseline: no container may be privileged. */
const forbidPrivileged: CheckFn = (pod) => pod.containers
  .filter((container) => container.securityContext?.privileged === true)
  .map((container) => ({
    path: joinPath(container.path, 'securityContext', 'privileged'),
    message: `privileged: ${describeContainer(container)} must not set securityContext.privileged=true; ` +
      'remove the field or set it to false',
  }));

export const privilegedCheck: PodSecurityCheckDefinition = {
  id: 'privileged',
  level: 'baseline',
  variants: [{ since: 0, evaluate: forbidPrivileged }],
};

/** Any explicit procMount other than "Default" (even "") unmasks /proc. */
function forbidNonDefaultProcMount(hint: string): CheckFn {
  return (pod) => pod.containers
    .filter((container) => {
      const procMount = container.securityContext?.procMount;
      return isSet(procMount) && procMount !== 'Default';
    })
    .map((container) => ({
      path: joinPath(container.path, 'securityContext', 'procMount'),
      message: `procMount: ${describeContainer(container)} must not set securityContext.procMount to ` +
        `${JSON.stringify(container.securityContext?.procMount)}; remove the field or set it to "Default"${hint}`,
    }));
}

const procMountStrict = forbidNonDefaultProcMount('');

export const procMountCheck: PodSecurityCheckDefinition = {
  id: 'procMount',
  level: 'baseline',
  variants: [
    { since: 0, evaluate: procMountStrict },
    {
      since: 35,
      evaluate: relaxedInUserNamespace(
        forbidNonDefaultProcMount(' (baseline allows other values only when the pod sets spec.hostUsers: false)'),
      ),
    },
  ],
};

/** Restricted keeps the strict rule that baseline relaxed for user-namespaced pods in v1.35. */
export const procMountRestrictedCheck: PodSecurityCheckDefinition = {
  id: 'procMount_restricted',
  level: 'restricted',
  variants: [{ since: 35, evaluate: procMountStrict }],
  replaces: ['procMount'],
};
