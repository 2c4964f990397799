// The cdk8s CLI's validation plugin: `cdk8s synth` hands it the synthesized manifests and it runs
// the rules of `namespace-guard check` over them. The CLI's own types (cdk8s-cli/plugins) cannot
// cross jsii, so the context is typed loosely here and read through the narrow shape below.
import { loadInputs } from '../cli/io';
import { ClusterModel } from '../model/cluster-model';
import { ClusterNetwork } from '../model/cluster-network';
import { describeOrigin, ManifestError } from '../model/manifests';
import { compareText } from '../private/json';
import { evaluateRules, RuleFinding } from '../rules/evaluate';
import { FindingSeverity } from '../rules/rule-id';

/**
 * The `properties` of the plugin's entry in the `validations` of `cdk8s.yaml`.
 */
export interface NamespaceGuardValidationProps {
  /**
   * The cluster's pod CIDRs, as `namespace-guard check --pod-cidr`: a tenant's ipBlock covering
   * one is a `cluster-range-flow` finding.
   *
   * @default - none declared: `cluster-range-flow` reports nothing about pod ranges
   */
  readonly podCidrs?: string[];

  /**
   * The cluster's Service CIDRs, as `namespace-guard check --service-cidr`.
   *
   * @default - none declared: `cluster-range-flow` reports nothing about Service ranges
   */
  readonly serviceCidrs?: string[];

  /**
   * The cluster's node CIDRs, as `namespace-guard check --node-cidr`.
   *
   * @default - none declared
   */
  readonly nodeCidrs?: string[];

  /**
   * Fail the synthesis on unacknowledged warnings too, as `namespace-guard check --fail-on warning`.
   *
   * @default false - only unacknowledged errors fail it
   */
  readonly failOnWarnings?: boolean;
}

/** The parts of the cdk8s CLI's ValidationContext the plugin uses. */
interface Context {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: Array<{ resourceName: string; locations: string[]; manifestPath: string }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: { [key: string]: string }): void;
  };
  readonly logger?: { log(message: string): void };
}

const PLUGIN = 'NamespaceGuardValidation';

/**
 * A cdk8s CLI validation plugin that runs the rules of `namespace-guard check` over the manifests
 * `cdk8s synth` writes, whatever made them (constructs, Helm charts, included YAML). Each
 * unacknowledged finding becomes a violation with its rule, message and fix; the report fails when
 * an unacknowledged error remains (or a warning, with `failOnWarnings`).
 *
 * Name it in `cdk8s.yaml`:
 * `validations: [{ package: cdk8s-namespace-guard, version: <exact version>, class: NamespaceGuardValidation }]`.
 */
export class NamespaceGuardValidation {
  private readonly network: ClusterNetwork;
  private readonly failOnWarnings: boolean;

  /**
   * @param props the `properties` of the entry in `cdk8s.yaml`
   */
  constructor(props: NamespaceGuardValidationProps = {}) {
    const p = (props ?? {}) as Record<string, unknown>;
    const cidrs = (key: string): string[] | undefined => {
      const value = p[key];
      if (value === undefined || value === null) return undefined;
      if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
        throw new Error(`${PLUGIN}: properties.${key} must be a list of CIDRs, e.g. ${key}: ["10.0.0.0/16"]; got ${JSON.stringify(value)}`);
      }
      return value as string[];
    };
    const known = ['podCidrs', 'serviceCidrs', 'nodeCidrs', 'failOnWarnings'];
    const unknown = Object.keys(p).filter(k => !known.includes(k)).sort(compareText);
    if (unknown.length > 0) {
      throw new Error(`${PLUGIN}: unknown properties ${unknown.join(', ')} in cdk8s.yaml; the properties are ${known.join(', ')}`);
    }
    if (p.failOnWarnings !== undefined && typeof p.failOnWarnings !== 'boolean') {
      throw new Error(`${PLUGIN}: properties.failOnWarnings must be true or false; got ${JSON.stringify(p.failOnWarnings)}`);
    }
    try {
      this.network = ClusterNetwork.of({ podCidrs: cidrs('podCidrs'), serviceCidrs: cidrs('serviceCidrs'), nodeCidrs: cidrs('nodeCidrs') });
    } catch (e) {
      throw new Error(`${PLUGIN}: properties in cdk8s.yaml: ${(e as Error).message}`);
    }
    this.failOnWarnings = p.failOnWarnings === true;
  }

  /**
   * Runs the rules over `context.manifests` and submits the report (always).
   *
   * @param context the cdk8s CLI's ValidationContext
   */
  public async validate(context: any): Promise<void> {
    const ctx = context as Context;
    const log = (message: string) => (ctx.logger ? ctx.logger.log(message) : undefined);
    let findings: RuleFinding[];
    try {
      const manifests = loadInputs(ctx.manifests, {
        stdout: () => undefined,
        stderr: text => log(text.trimEnd()),
      });
      const model = ClusterModel.fromManifests(manifests, this.network);
      findings = evaluateRules(model).sort(byLocation);
    } catch (e) {
      // Input the rules cannot read fails the report, naming the file and document, never a stack trace.
      const error = e as Error;
      const source = e instanceof ManifestError ? e.source : undefined;
      ctx.report.addViolation({
        ruleName: 'bad-input',
        recommendation: error.message,
        fix: 'correct the object the message names, then synthesize again',
        violatingResources: source ? [{ resourceName: source, locations: [error.message], manifestPath: source }] : [],
      });
      ctx.report.submit('failure', { errors: '1', warnings: '0', acknowledged: '0' });
      return;
    }

    const open = findings.filter(f => f.acknowledgement === undefined);
    const errors = open.filter(f => f.severity === FindingSeverity.ERROR).length;
    const warnings = open.length - errors;
    for (const f of open) {
      const monitored = f.monitored ? ' (monitor mode)' : '';
      ctx.report.addViolation({
        ruleName: f.rule.id,
        recommendation: `${f.severity}${monitored}: ${f.message}`,
        fix: f.fix,
        violatingResources: [{
          // The object's name is the key of the CLI's construct metadata, which adds the construct path.
          resourceName: f.object.name,
          locations: [`${f.object.kind} ${f.namespace}/${f.object.name} (${describeOrigin(f.object.manifest)})`],
          manifestPath: f.object.manifest.source,
        }],
      });
    }
    const failed = errors > 0 || (this.failOnWarnings && warnings > 0);
    ctx.report.submit(failed ? 'failure' : 'success', {
      errors: String(errors),
      warnings: String(warnings),
      acknowledged: String(findings.length - open.length),
    });
  }
}

/** By file, document (and item of a List), then rule, as `namespace-guard check` orders them. */
function byLocation(a: RuleFinding, b: RuleFinding): number {
  const x = a.object.manifest;
  const y = b.object.manifest;
  return compareText(x.source, y.source) || x.document - y.document || (x.item ?? 0) - (y.item ?? 0) || compareText(a.rule.id, b.rule.id);
}
