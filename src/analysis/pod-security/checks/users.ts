import { describeContainer, isSet, joinPath } from '../pod';
import { CheckFn, Finding, PodSecurityCheckDefinition } from '../types';
import { relaxedInUserNamespace, securityContextOwners } from './common';

/**
 * Restricted: the pod (for all containers) or every container must set runAsNonRoot=true.
 * Explicit `false` settings are reported first; only if there are none are containers
 * that inherit no `true` reported (as upstream does).
 */
function requireRunAsNonRoot(hint: string): CheckFn {
  return (pod) => {
    const explicit: Finding[] = securityContextOwners(pod)
      .filter((owner) => isSet(owner.securityContext?.runAsNonRoot) && owner.securityContext?.runAsNonRoot !== true)
      .map((owner) => ({
        path: joinPath(owner.path, 'runAsNonRoot'),
        message: `runAsNonRoot != true: ${owner.subject} must not set securityContext.runAsNonRoot=false; set it to true${hint}`,
      }));
    if (explicit.length > 0 || pod.securityContext?.runAsNonRoot === true) {
      return explicit;
    }
    return pod.containers
      .filter((container) => !isSet(container.securityContext?.runAsNonRoot))
      .map((container) => ({
        path: joinPath(container.path, 'securityContext', 'runAsNonRoot'),
        message: `runAsNonRoot != true: pod or ${describeContainer(container)} must set securityContext.runAsNonRoot=true; ` +
          `setting it once in the pod-level securityContext covers every container${hint}`,
      }));
  };
}

const USER_NAMESPACE_HINT = ' (or run the pod in a user namespace with spec.hostUsers: false)';

export const runAsNonRootCheck: PodSecurityCheckDefinition = {
  id: 'runAsNonRoot',
  level: 'restricted',
  variants: [
    { since: 0, evaluate: requireRunAsNonRoot('') },
    { since: 35, evaluate: relaxedInUserNamespace(requireRunAsNonRoot(USER_NAMESPACE_HINT)) },
  ],
};

/** A UID of 0 as Go would decode it (a number; numeric strings are tolerated). */
function isRootUid(value: unknown): boolean {
  return (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) && Number(value) === 0;
}

/** Restricted (v1.23+): neither the pod nor a container may ask for UID 0. */
function forbidRootUser(hint: string): CheckFn {
  return (pod) => securityContextOwners(pod)
    .filter((owner) => isRootUid(owner.securityContext?.runAsUser))
    .map((owner) => ({
      path: joinPath(owner.path, 'runAsUser'),
      message: `runAsUser=0: ${owner.subject} must not set securityContext.runAsUser=0; use a non-zero UID or remove the field${hint}`,
    }));
}

export const runAsUserCheck: PodSecurityCheckDefinition = {
  id: 'runAsUser',
  level: 'restricted',
  variants: [
    { since: 23, evaluate: forbidRootUser('') },
    { since: 35, evaluate: relaxedInUserNamespace(forbidRootUser(USER_NAMESPACE_HINT)) },
  ],
};
