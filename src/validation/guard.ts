import { Construct, IConstruct } from 'constructs';
import { Enforcement } from '../pod-security';
import { acknowledgedReason } from './acknowledgements';
import { APP_RULES } from './all-rules';
import { Finding, FindingSeverity, formatFinding } from './finding';
import { bundleRegistry } from './registry';
import { RuleContext } from './rule';
import { collectWorkloads } from './workloads';

const GUARD_ID = 'namespace-guard';

/**
 * The one construct per app that runs the synth-time rules over the whole app, once per
 * validation pass (per-bundle validations would make big apps quadratic).
 * @internal
 */
export class AppGuard extends Construct {
  /** The guard of the app that `scope` belongs to, created on first use. */
  public static of(scope: IConstruct): AppGuard {
    const root = scope.node.root;
    return (root.node.tryFindChild(GUARD_ID) as AppGuard | undefined) ?? new AppGuard(root as Construct);
  }

  private readonly warned = new Set<string>();

  private constructor(root: Construct) {
    super(root, GUARD_ID);
    this.node.addValidation({ validate: () => this.validate() });
  }

  /** Every finding of the app, acknowledged ones included. */
  public findings(): Finding[] {
    const bundlesByName = bundleRegistry(this);
    const { workloads, services } = collectWorkloads(this.node.root);
    const context: RuleContext = { bundles: [...bundlesByName.values()], bundlesByName, workloads, services };
    const findings: Finding[] = [];
    for (const rule of APP_RULES) {
      for (const raw of rule.check(context)) {
        findings.push({
          ruleId: raw.ruleId,
          severity: raw.severity ?? FindingSeverity.ERROR,
          path: raw.scope.node.path,
          namespaceName: raw.namespaceName,
          message: raw.message,
          fix: raw.fix,
          acknowledgedReason: acknowledgedReason(raw.scope, raw.ruleId),
        });
      }
    }
    return findings;
  }

  private validate(): string[] {
    const bundles = bundleRegistry(this);
    const errors: string[] = [];
    for (const finding of this.findings()) {
      if (finding.acknowledgedReason !== undefined) {
        // Accepted findings stay visible in the synth output, with their reason.
        this.warnOnce(`[namespace-guard] acknowledged ${formatFinding(finding)} (reason: ${finding.acknowledgedReason})`);
        continue;
      }
      const monitored = finding.namespaceName !== undefined && bundles.get(finding.namespaceName)?.enforcement === Enforcement.MONITOR;
      const line = formatFinding(finding);
      if (finding.severity === FindingSeverity.ERROR && !monitored) {
        errors.push(line);
      } else {
        this.warnOnce(`[namespace-guard] warning${monitored ? ' (monitor mode)' : ''} ${line}`);
      }
    }
    return errors;
  }

  private warnOnce(line: string): void {
    if (this.warned.has(line)) return;
    this.warned.add(line);
    console.warn(line);
  }
}
