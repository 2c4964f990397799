import { Testing, Yaml } from 'cdk8s';
import { guardrailsChart } from '../../examples/guardrails';
import { multiTenantChart } from '../../examples/multi-tenant';

/** The multi-tenant example as one YAML file, as `cdk8s synth` writes it. */
export function multiTenantYaml(guardrails = false): string {
  const app = Testing.app();
  multiTenantChart(app);
  if (guardrails) guardrailsChart(app);
  return Yaml.stringify(...app.charts.flatMap(c => Testing.synth(c)));
}
