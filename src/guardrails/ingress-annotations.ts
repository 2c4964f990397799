import {
  DEFAULT_INGRESS_ANNOTATION_ALLOWANCE, INGRESS_NGINX_PREFIX, IngressAnnotationAllowance,
} from '../model/ingress-annotations';

/**
 * A risk level of ingress-nginx's own annotation catalogue (its `annotations-risk-level` setting).
 */
export enum IngressAnnotationRisk {
  /** Annotations that change little beyond the Ingress's own responses. */
  LOW = 'Low',
  /** Annotations that change how the controller handles the Ingress's traffic. */
  MEDIUM = 'Medium',
  /** Annotations that change the controller's behaviour well beyond the Ingress. */
  HIGH = 'High',
  /** Annotations that inject configuration or reach beyond the Ingress's namespace. */
  CRITICAL = 'Critical',
}

/**
 * Options for `IngressAnnotations.ingressNginx`.
 */
export interface IngressNginxAnnotationsOptions {
  /**
   * The highest risk level tenants may use. Whatever the level, the annotations that claim hosts
   * (`server-alias`), send the controller's requests elsewhere (`auth-url`, `mirror-target`,
   * `default-backend`, ...), inject configuration (`*-snippet`) or name a Secret are refused
   * unless listed in `allow`, and a Secret of another namespace is refused even then.
   *
   * @default IngressAnnotationRisk.MEDIUM
   */
  readonly maxRisk?: IngressAnnotationRisk;

  /**
   * Annotations tenants may use besides those of `maxRisk`, as full keys (for example
   * `nginx.ingress.kubernetes.io/auth-url` where the platform runs the authentication service).
   *
   * @default - none
   */
  readonly allow?: string[];

  /**
   * The controller's annotation prefix (its `--annotations-prefix` flag).
   *
   * @default "nginx.ingress.kubernetes.io/"
   */
  readonly prefix?: string;
}

/**
 * Which annotations of the shared ingress controller tenants' Ingresses may carry. The controller
 * acts for every tenant and may reach every namespace, so an annotation that makes it claim other
 * hosts, send requests elsewhere, run injected configuration or read another namespace's Secret
 * makes it the tenant's deputy past the NetworkPolicies. Annotations of other prefixes are not judged.
 */
export class IngressAnnotations {
  /**
   * ingress-nginx's annotations, judged by the controller's own risk levels.
   */
  public static ingressNginx(options: IngressNginxAnnotationsOptions = {}): IngressAnnotations {
    return new IngressAnnotations({
      prefix: options.prefix ?? INGRESS_NGINX_PREFIX,
      maxRisk: options.maxRisk ?? DEFAULT_INGRESS_ANNOTATION_ALLOWANCE.maxRisk as IngressAnnotationRisk,
      allowed: [...new Set(options.allow ?? [])].sort(),
    });
  }

  private constructor(private readonly allowance: IngressAnnotationAllowance) {}

  /**
   * The allowance, for the guardrails.
   * @internal
   */
  public _allowance(): IngressAnnotationAllowance {
    return this.allowance;
  }

  /**
   * What is wrong with the options, one line each.
   * @internal
   */
  public _problems(): string[] {
    const problems: string[] = [];
    const { prefix, maxRisk, allowed } = this.allowance;
    if (typeof prefix !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/$/.test(prefix)) {
      problems.push(`ingressAnnotations: prefix ${JSON.stringify(prefix)} is not an annotation prefix; use a DNS subdomain followed by "/", such as "${INGRESS_NGINX_PREFIX}"`);
    }
    if (!Object.values(IngressAnnotationRisk).includes(maxRisk as IngressAnnotationRisk)) {
      problems.push(`ingressAnnotations: maxRisk ${JSON.stringify(maxRisk)} is not an IngressAnnotationRisk; use IngressAnnotationRisk.LOW, MEDIUM, HIGH or CRITICAL`);
    }
    for (const key of allowed) {
      if (typeof key !== 'string' || typeof prefix !== 'string' || !key.startsWith(prefix)) {
        problems.push(`ingressAnnotations: allow holds ${JSON.stringify(key)}, which does not start with the prefix "${prefix}"; give full keys such as "${prefix}auth-url"`);
      }
    }
    return problems;
  }
}
