import { App, Chart } from 'cdk8s';
import { ClusterGuardrails, Subject } from '../src';

/**
 * The admission guardrails of the cluster: one set for every managed namespace of every scenario.
 * The GitOps controller that applies these manifests and the platform team may change what the
 * guardrails protect; tenants, teams and zone operators may not.
 */
export function guardrailsChart(app: App): Chart {
  const chart = new Chart(app, 'guardrails');
  new ClusterGuardrails(chart, 'guardrails', {
    platformAdmins: [Subject.serviceAccount('argocd-application-controller', 'argocd'), Subject.group('platform-admins')],
  });
  return chart;
}
