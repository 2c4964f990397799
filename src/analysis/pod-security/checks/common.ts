import { describeContainer, joinPath } from '../pod';
import { CheckFn, ContainerRef, Fields, PodView } from '../types';

/**
 * From v1.25 several restricted checks skip pods with `spec.os.name: windows`, because
 * the fields they inspect have no effect on Windows nodes.
 */
export function exemptWindowsPods(check: CheckFn): CheckFn {
  return (pod) => (pod.isWindows ? [] : check(pod));
}

/**
 * From v1.35 some checks are relaxed for pods with `spec.hostUsers: false`: in a user
 * namespace, root and unmasked /proc inside the container do not map to the host's.
 */
export function relaxedInUserNamespace(check: CheckFn): CheckFn {
  return (pod) => (pod.usesUserNamespace ? [] : check(pod));
}

/** The pod or one of its containers, as something that carries a securityContext. */
export interface SecurityContextOwner {
  /** `pod` or `container "app"`, for messages. */
  readonly subject: string;
  /** Path of its `securityContext` (which may be missing). */
  readonly path: string;
  readonly securityContext: Fields | undefined;
  /** Set for containers, unset for the pod. */
  readonly container?: ContainerRef;
}

/** The pod-level securityContext first, then every container's (upstream's order). */
export function securityContextOwners(pod: PodView): SecurityContextOwner[] {
  const podOwner: SecurityContextOwner = {
    subject: 'pod',
    path: joinPath(pod.specPath, 'securityContext'),
    securityContext: pod.securityContext,
  };
  return [podOwner, ...pod.containers.map(containerOwner)];
}

export function containerOwner(container: ContainerRef): SecurityContextOwner {
  return {
    subject: describeContainer(container),
    path: joinPath(container.path, 'securityContext'),
    securityContext: container.securityContext,
    container,
  };
}
