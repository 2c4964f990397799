import { dnsLabelProblem, dnsSubdomainProblem } from '../private/names';

/**
 * How much a subject may do inside the bundle's namespace. No level grants anything outside
 * it, and none may write the bundle's quota, limit range or network policies.
 */
export enum AccessLevel {
  /** Read workloads, services, config maps and events (not secrets). */
  VIEW = 'view',
  /** VIEW, plus write workloads, services, config maps, secrets, volumes claims and ingresses; exec and port-forward. */
  EDIT = 'edit',
  /** EDIT, plus manage service accounts, roles and role bindings inside the namespace. */
  ADMIN = 'admin',
}

/**
 * Who is granted access: a user, a group or a service account.
 */
export class Subject {
  /** A user, as your authenticator names it. */
  public static user(name: string): Subject {
    return new Subject('User', name, undefined);
  }

  /** A group, as your authenticator names it (for example an OIDC group). */
  public static group(name: string): Subject {
    return new Subject('Group', name, undefined);
  }

  /**
   * A service account.
   *
   * @param name the service account name
   * @param namespaceName its namespace; defaults to the bundle's own namespace
   */
  public static serviceAccount(name: string, namespaceName?: string): Subject {
    return new Subject('ServiceAccount', name, namespaceName);
  }

  private constructor(
    /** `User`, `Group` or `ServiceAccount`. */
    public readonly kind: string,
    /** The subject's name. */
    public readonly name: string,
    /** The service account's namespace, when given. */
    public readonly namespaceName: string | undefined,
  ) {}

  /**
   * What is wrong with this subject.
   * @internal
   */
  public _problems(): string[] {
    if (typeof this.name !== 'string' || this.name.trim().length === 0) {
      return [`${this.kind} subject has an empty name; give the ${this.kind.toLowerCase()} name`];
    }
    if (this.kind === 'ServiceAccount') {
      const p = dnsSubdomainProblem(this.name);
      if (p) return [`service account name "${this.name}" is invalid: ${p}`];
      const n = this.namespaceName !== undefined ? dnsLabelProblem(this.namespaceName) : undefined;
      if (n) return [`service account namespace "${this.namespaceName}" is invalid: ${n}`];
    }
    return [];
  }

  /**
   * The RBAC subject entry.
   * @internal
   */
  public _render(defaultNamespace: string): { [key: string]: string } {
    return this.kind === 'ServiceAccount'
      ? { kind: 'ServiceAccount', name: this.name, namespace: this.namespaceName ?? defaultNamespace }
      : { kind: this.kind, apiGroup: 'rbac.authorization.k8s.io', name: this.name };
  }

  /**
   * Identity of the subject once rendered in `defaultNamespace` (a service account without a
   * namespace is the same subject as one in the bundle's own namespace).
   * @internal
   */
  public _key(defaultNamespace: string): string {
    return `${this.kind}/${this.kind === 'ServiceAccount' ? this.namespaceName ?? defaultNamespace : ''}/${this.name}`;
  }
}
