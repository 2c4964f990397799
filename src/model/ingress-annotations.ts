// The annotations of the ingress-nginx controller, with the risk level the controller itself gives
// each one, and the ones that make the shared controller act for a tenant beyond its namespace.
//
// Source: kubernetes/ingress-nginx, internal/ingress/annotations/*/ (each parser declares its
// annotations with a `Risk:` field), controller v1.13.0 to v1.15.1: the 136 annotations and their
// risks are the same in all of them. v1.12 lacks `proxy-busy-buffers-size` and `relative-redirects`;
// v1.12 removed the `global-rate-limit*` annotations, which are therefore unknown here (refused).
// The controller ignores annotations under its prefix that no parser declares.

/** ingress-nginx's own risk levels, lowest first (its `--annotations-risk-level`, `High` by default). */
export type NginxAnnotationRisk = 'Low' | 'Medium' | 'High' | 'Critical';

/**
 * Why an annotation makes the shared controller act for the tenant beyond its namespace:
 * - `host`: it answers for host names the Ingress's rules do not name;
 * - `destination`: it sends requests (with the controller's own network access) where the value says;
 * - `configuration`: it injects its value into the controller's configuration;
 * - `secret`: it names a Secret or ConfigMap as `[namespace/]name`, which the controller reads with
 *   its own access; only a value naming another namespace is refused for it.
 */
export type NginxAnnotationDeputy = 'host' | 'destination' | 'configuration' | 'secret';

/** One annotation the controller parses. */
export interface NginxAnnotation {
  /** The name without the prefix, for example `server-alias`. */
  readonly name: string;
  /** ingress-nginx's own risk level for it. */
  readonly risk: NginxAnnotationRisk;
  /** How it makes the controller act beyond the Ingress's namespace, if it does. */
  readonly deputy?: NginxAnnotationDeputy;
}

/** The default annotation prefix of ingress-nginx (its `--annotations-prefix`). */
export const INGRESS_NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

type Entry = readonly [name: string, risk: NginxAnnotationRisk, deputy?: NginxAnnotationDeputy];

const CATALOGUE: readonly Entry[] = [
  ['affinity', 'Low'],
  ['affinity-canary-behavior', 'Low'],
  ['affinity-mode', 'Medium'],
  ['allowlist-source-range', 'Medium'],
  ['app-root', 'Medium'],
  ['auth-always-set-cookie', 'Low'],
  ['auth-cache-duration', 'Medium'],
  ['auth-cache-key', 'Medium'],
  ['auth-keepalive', 'Low'],
  ['auth-keepalive-requests', 'Low'],
  ['auth-keepalive-share-vars', 'Low'],
  ['auth-keepalive-timeout', 'Low'],
  ['auth-method', 'Low'],
  // Names a ConfigMap as namespace/name: the headers the controller adds to its auth subrequests.
  ['auth-proxy-set-headers', 'Medium', 'secret'],
  ['auth-realm', 'Medium'],
  ['auth-request-redirect', 'Medium'],
  ['auth-response-headers', 'Medium'],
  // Names the Secret holding the basic-auth users, as [namespace/]name.
  ['auth-secret', 'Medium', 'secret'],
  ['auth-secret-type', 'Low'],
  // Not a deputy: a redirect of the client's browser, not a request of the controller (High risk all the same).
  ['auth-signin', 'High'],
  ['auth-signin-redirect-param', 'Medium'],
  // Injected into the auth location of the controller's configuration.
  ['auth-snippet', 'Critical', 'configuration'],
  ['auth-tls-error-page', 'High'],
  ['auth-tls-match-cn', 'High'],
  ['auth-tls-pass-certificate-to-upstream', 'Low'],
  // Names the Secret holding the client CA, as [namespace/]name.
  ['auth-tls-secret', 'Medium', 'secret'],
  ['auth-tls-verify-client', 'Medium'],
  ['auth-tls-verify-depth', 'Low'],
  ['auth-type', 'Low'],
  // The controller sends an auth subrequest for every request to this URL, from its own network position.
  ['auth-url', 'High', 'destination'],
  ['backend-protocol', 'Low'],
  ['canary', 'Low'],
  ['canary-by-cookie', 'Medium'],
  ['canary-by-header', 'Medium'],
  ['canary-by-header-pattern', 'Medium'],
  ['canary-by-header-value', 'Medium'],
  ['canary-weight', 'Low'],
  ['canary-weight-total', 'Low'],
  ['client-body-buffer-size', 'Low'],
  // Injected into the location block of the controller's configuration.
  ['configuration-snippet', 'Critical', 'configuration'],
  ['connection-proxy-header', 'Low'],
  ['cors-allow-credentials', 'Low'],
  ['cors-allow-headers', 'Medium'],
  ['cors-allow-methods', 'Medium'],
  ['cors-allow-origin', 'Medium'],
  ['cors-expose-headers', 'Medium'],
  ['cors-max-age', 'Low'],
  // Names a ConfigMap as namespace/name, read without the controller's cross-namespace check.
  ['custom-headers', 'Medium', 'secret'],
  // Not a deputy: error responses go to the Ingress's own default backend or the platform's.
  ['custom-http-errors', 'Low'],
  // Not a deputy: the controller resolves the Service in the Ingress's own namespace.
  ['default-backend', 'Low'],
  ['denylist-source-range', 'Medium'],
  ['disable-proxy-intercept-errors', 'Low'],
  ['enable-access-log', 'Low'],
  ['enable-cors', 'Low'],
  ['enable-global-auth', 'Low'],
  ['enable-modsecurity', 'Low'],
  ['enable-opentelemetry', 'Low'],
  ['enable-owasp-core-rules', 'Low'],
  ['enable-rewrite-log', 'Low'],
  ['fastcgi-index', 'Medium'],
  // Names a ConfigMap of FastCGI parameters as [namespace/]name.
  ['fastcgi-params-configmap', 'Medium', 'secret'],
  ['force-ssl-redirect', 'Medium'],
  // The controller adds a server for the www. variant of each host (or the bare one), a host no rule names.
  ['from-to-www-redirect', 'Low', 'host'],
  ['http2-push-preload', 'Low'],
  ['limit-allowlist', 'Low'],
  ['limit-burst-multiplier', 'Low'],
  ['limit-connections', 'Low'],
  ['limit-rate', 'Low'],
  ['limit-rate-after', 'Low'],
  ['limit-rpm', 'Low'],
  ['limit-rps', 'Low'],
  ['load-balance', 'Low'],
  // The Host header of the mirrored requests: picks the virtual host that receives the copies.
  ['mirror-host', 'High', 'destination'],
  ['mirror-request-body', 'Low'],
  // The controller sends a copy of every request to this URL, from its own network position.
  ['mirror-target', 'High', 'destination'],
  // Injected into the controller's ModSecurity rules.
  ['modsecurity-snippet', 'Critical', 'configuration'],
  ['modsecurity-transaction-id', 'High'],
  ['opentelemetry-operation-name', 'Medium'],
  ['opentelemetry-trust-incoming-span', 'Low'],
  // Not a deputy: a redirect of the client's browser on the Ingress's own hosts.
  ['permanent-redirect', 'Medium'],
  ['permanent-redirect-code', 'Low'],
  ['preserve-trailing-slash', 'Medium'],
  ['proxy-body-size', 'Medium'],
  ['proxy-buffer-size', 'Low'],
  ['proxy-buffering', 'Low'],
  ['proxy-buffers-number', 'Low'],
  ['proxy-busy-buffers-size', 'Low'],
  ['proxy-connect-timeout', 'Low'],
  ['proxy-cookie-domain', 'Medium'],
  ['proxy-cookie-path', 'Medium'],
  ['proxy-http-version', 'Low'],
  ['proxy-max-temp-file-size', 'Low'],
  ['proxy-next-upstream', 'Medium'],
  ['proxy-next-upstream-timeout', 'Low'],
  ['proxy-next-upstream-tries', 'Low'],
  ['proxy-read-timeout', 'Low'],
  ['proxy-redirect-from', 'Medium'],
  ['proxy-redirect-to', 'Medium'],
  ['proxy-request-buffering', 'Low'],
  ['proxy-send-timeout', 'Low'],
  ['proxy-ssl-ciphers', 'Medium'],
  ['proxy-ssl-name', 'High'],
  ['proxy-ssl-protocols', 'Low'],
  // Names the Secret holding the client certificate for the upstream, as [namespace/]name.
  ['proxy-ssl-secret', 'Medium', 'secret'],
  ['proxy-ssl-server-name', 'Low'],
  ['proxy-ssl-verify', 'Low'],
  ['proxy-ssl-verify-depth', 'Low'],
  ['relative-redirects', 'Low'],
  ['rewrite-target', 'Medium'],
  ['satisfy', 'Low'],
  // The controller answers for these extra host names (regular expressions too) with this Ingress.
  ['server-alias', 'High', 'host'],
  // Injected into the server block of the controller's configuration.
  ['server-snippet', 'Critical', 'configuration'],
  ['service-upstream', 'Low'],
  ['session-cookie-change-on-failure', 'Low'],
  ['session-cookie-conditional-samesite-none', 'Low'],
  ['session-cookie-domain', 'Medium'],
  ['session-cookie-expires', 'Medium'],
  ['session-cookie-max-age', 'Medium'],
  ['session-cookie-name', 'Medium'],
  ['session-cookie-path', 'Medium'],
  ['session-cookie-samesite', 'Low'],
  ['session-cookie-secure', 'Low'],
  ['ssl-ciphers', 'Low'],
  ['ssl-passthrough', 'Low'],
  ['ssl-prefer-server-ciphers', 'Low'],
  ['ssl-redirect', 'Low'],
  // Injected into the stream block of the controller's configuration.
  ['stream-snippet', 'Critical', 'configuration'],
  // Not a deputy: a redirect of the client's browser on the Ingress's own hosts.
  ['temporal-redirect', 'Medium'],
  ['temporal-redirect-code', 'Low'],
  ['upstream-hash-by', 'High'],
  ['upstream-hash-by-subset', 'Low'],
  ['upstream-hash-by-subset-size', 'Low'],
  // Not a deputy: the Host header sent to the Ingress's own backends, which are reached all the same.
  ['upstream-vhost', 'Low'],
  ['use-port-in-redirects', 'Low'],
  ['use-regex', 'Low'],
  ['x-forwarded-prefix', 'Medium'],
];

/** Every annotation the controller parses, sorted by name. */
export const INGRESS_NGINX_ANNOTATIONS: readonly NginxAnnotation[] = CATALOGUE.map(([name, risk, deputy]) =>
  (deputy === undefined ? { name, risk } : { name, risk, deputy }));

/** The annotations a platform lets tenants put on their Ingresses. */
export interface IngressAnnotationAllowance {
  /** The controller's annotation prefix; keys without it are not judged. Default INGRESS_NGINX_PREFIX. */
  readonly prefix: string;
  /** Annotations whose risk is above it are refused. */
  readonly maxRisk: NginxAnnotationRisk;
  /** Full annotation keys allowed besides the default (a Secret of another namespace is refused all the same). */
  readonly allowed: readonly string[];
}

/** The prefix of ingress-nginx, risks up to Medium, no annotation allowed beyond. */
export const DEFAULT_INGRESS_ANNOTATION_ALLOWANCE: IngressAnnotationAllowance = {
  prefix: INGRESS_NGINX_PREFIX,
  maxRisk: 'Medium',
  allowed: [],
};

const RISK_ORDER: readonly NginxAnnotationRisk[] = ['Low', 'Medium', 'High', 'Critical'];

/**
 * Whether tenants may use an annotation without the platform allowing it by name: it makes the
 * controller claim no host, send no request elsewhere and run no configuration (a Secret reference
 * is judged by its value), and its risk is within `maxRisk`. The guardrail's CEL lists these names.
 */
export function permittedByCatalogue(annotation: NginxAnnotation, maxRisk: NginxAnnotationRisk): boolean {
  return (annotation.deputy === undefined || annotation.deputy === 'secret') && RISK_ORDER.indexOf(annotation.risk) <= RISK_ORDER.indexOf(maxRisk);
}
const BY_NAME = new Map(INGRESS_NGINX_ANNOTATIONS.map(a => [a.name, a]));
const CONFIG_MAP_NAMES = new Set(['auth-proxy-set-headers', 'custom-headers', 'fastcgi-params-configmap']);

/**
 * The annotations of an Ingress in `namespace` that the allowance refuses, each with why (one line),
 * in the order of the keys. Only keys with the allowance's prefix are judged. One is refused when:
 * (a) its name is not in the catalogue and the key is not allowed; (b) it is a `host`, `destination`
 * or `configuration` deputy, or its risk is above `maxRisk`, and the key is not allowed; (c) it is a
 * `secret` deputy whose value names another namespace (a `/` after a prefix other than `namespace`),
 * allowed or not.
 */
export function refusedIngressAnnotations(
  annotations: Readonly<Record<string, string>>, namespace: string, allowance: IngressAnnotationAllowance,
): Array<{ readonly key: string; readonly why: string }> {
  const refused: Array<{ readonly key: string; readonly why: string }> = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(allowance.prefix)) continue;
    const why = refusal(key.slice(allowance.prefix.length), String(value), namespace, allowance.allowed.includes(key), allowance.maxRisk);
    if (why !== undefined) refused.push({ key, why });
  }
  return refused;
}

function refusal(name: string, value: string, namespace: string, allowed: boolean, maxRisk: NginxAnnotationRisk): string | undefined {
  const annotation = BY_NAME.get(name);
  if (annotation === undefined) {
    return allowed ? undefined : `"${name}" is not an annotation of ingress-nginx v1.13 to v1.15, so what it does is not known`;
  }
  const slash = value.indexOf('/');
  if (annotation.deputy === 'secret' && slash >= 0 && value.slice(0, slash) !== namespace) {
    const kind = CONFIG_MAP_NAMES.has(name) ? 'ConfigMap' : 'Secret';
    return `the controller would read ${kind} "${value.slice(slash + 1)}" of namespace "${value.slice(0, slash)}" for this Ingress, with its own access`;
  }
  if (allowed) return undefined;
  switch (annotation.deputy) {
    case 'host': return `the controller would claim host names the Ingress's rules do not name (${name}: ${JSON.stringify(value)})`;
    case 'destination': return `the controller would send requests to ${JSON.stringify(value)} with its own network access, past the namespace's NetworkPolicies`;
    case 'configuration': return `the controller would run ${name} as its own configuration, shared by every namespace's Ingresses`;
    default: break;
  }
  if (!permittedByCatalogue(annotation, maxRisk)) {
    return `ingress-nginx rates ${name} ${annotation.risk} risk, above the allowed ${maxRisk}`;
  }
  return undefined;
}
