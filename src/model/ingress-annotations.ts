// PLACEHOLDER until the catalogue lands: the interface the guardrails code against.
export type NginxAnnotationRisk = 'Low' | 'Medium' | 'High' | 'Critical';
export type NginxAnnotationDeputy = 'host' | 'destination' | 'configuration' | 'secret';
export interface NginxAnnotation {
  readonly name: string;
  readonly risk: NginxAnnotationRisk;
  readonly deputy?: NginxAnnotationDeputy;
}
export const INGRESS_NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';
export const INGRESS_NGINX_ANNOTATIONS: readonly NginxAnnotation[] = [
  { name: 'auth-secret', risk: 'Medium', deputy: 'secret' },
  { name: 'auth-url', risk: 'High', deputy: 'destination' },
  { name: 'configuration-snippet', risk: 'Critical', deputy: 'configuration' },
  { name: 'mirror-target', risk: 'High', deputy: 'destination' },
  { name: 'proxy-body-size', risk: 'Low' },
  { name: 'rewrite-target', risk: 'Medium' },
  { name: 'server-alias', risk: 'High', deputy: 'host' },
  { name: 'ssl-redirect', risk: 'Low' },
];
export interface IngressAnnotationAllowance {
  readonly prefix: string;
  readonly maxRisk: NginxAnnotationRisk;
  readonly allowed: readonly string[];
}
export const DEFAULT_INGRESS_ANNOTATION_ALLOWANCE: IngressAnnotationAllowance = { prefix: INGRESS_NGINX_PREFIX, maxRisk: 'Medium', allowed: [] };
const RISKS: readonly NginxAnnotationRisk[] = ['Low', 'Medium', 'High', 'Critical'];
export function refusedIngressAnnotations(
  annotations: Readonly<Record<string, string>>, namespace: string, allowance: IngressAnnotationAllowance,
): Array<{ readonly key: string; readonly why: string }> {
  const out: Array<{ key: string; why: string }> = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(allowance.prefix)) continue;
    const entry = INGRESS_NGINX_ANNOTATIONS.find(a => a.name === key.slice(allowance.prefix.length));
    const allowed = allowance.allowed.includes(key);
    if (!entry && !allowed) out.push({ key, why: 'unknown' });
    else if (entry && !allowed && (entry.deputy || RISKS.indexOf(entry.risk) > RISKS.indexOf(allowance.maxRisk))) out.push({ key, why: 'risk' });
    else if (entry?.deputy === 'secret' && value.includes('/') && !value.startsWith(`${namespace}/`)) out.push({ key, why: 'secret' });
  }
  return out;
}
