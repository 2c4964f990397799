import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { DEFAULT_INGRESS_ANNOTATION_ALLOWANCE, INGRESS_NGINX_ANNOTATIONS, refusedIngressAnnotations } from '../model/ingress-annotations';

const SECRET_NAMING = new Set(INGRESS_NGINX_ANNOTATIONS.filter(a => a.deputy === 'secret').map(a => a.name));

/**
 * The ingress controller serves every namespace with its own network access, its own configuration
 * and its own read access to Secrets. An annotation of ingress-nginx that claims host names, sends
 * requests elsewhere, injects configuration, reads another namespace's Secret, or that the controller
 * rates above Medium risk (or does not know) makes it act for one tenant beyond its namespace. Judged
 * against the default allowance (`DEFAULT_INGRESS_ANNOTATION_ALLOWANCE`): what the platform allows
 * beyond it is acknowledged on the Ingress. Every Ingress of a managed namespace is judged, whatever
 * its class: annotations another controller ignores are refused too.
 */
export const ingressAnnotationRule: Rule = {
  id: RuleId.INGRESS_ANNOTATION,
  severity: FindingSeverity.ERROR,
  summary: 'an Ingress of a managed namespace has an ingress-nginx annotation that makes the shared controller act beyond the namespace',
  description: 'An Ingress of a managed namespace has an nginx.ingress.kubernetes.io/ annotation that makes the shared ingress controller act for the namespace beyond it: claim host names its rules do not name (server-alias), send requests anywhere with the controller\'s network access (auth-url, mirror-target), run configuration of the tenant\'s (the *-snippet annotations), read a Secret or ConfigMap of another namespace (auth-secret: other/name), or an annotation ingress-nginx rates above Medium risk or does not parse.',
  remedy: 'Remove the annotation, or name a Secret of the namespace itself. When the platform allows the annotation for its tenants (ClusterGuardrails ingressAnnotations), acknowledge ingress-annotation on the Ingress for that key, with the reason; a Secret of another namespace is refused all the same.',
  securitySeverity: 8.0,
  acknowledgedOn: 'object',
  objectKinds: ['Ingress'],
  target: 'the annotation key (nginx.ingress.kubernetes.io/server-alias)',
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces.filter(n => n.managed)) {
      for (const ingress of ns.ingresses) {
        for (const { key, why } of refusedIngressAnnotations(ingress.annotations, ns.name, DEFAULT_INGRESS_ANNOTATION_ALLOWANCE)) {
          const name = key.slice(DEFAULT_INGRESS_ANNOTATION_ALLOWANCE.prefix.length);
          const crossNamespace = SECRET_NAMING.has(name) && why.includes(' of namespace ');
          hits.push({
            object: ingress,
            namespace: ns.name,
            target: key,
            message: `Ingress "${ingress.name}" in namespace "${ns.name}" sets ${key}: ${why}`,
            fix: crossNamespace
              ? `name a ${why.includes('ConfigMap') ? 'ConfigMap' : 'Secret'} of namespace "${ns.name}" instead, or remove the annotation`
              : `remove the annotation; if the platform allows it (ClusterGuardrails ingressAnnotations), acknowledge ingress-annotation for "${key}" on the Ingress with the reason`,
          });
        }
      }
    }
    return hits;
  },
};
