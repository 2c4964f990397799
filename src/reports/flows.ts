import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConnectivityReport } from './connectivity-report';
import { Port } from '../network/port';

/**
 * Assertions about the network flows of an app, for tests in any test framework and any jsii
 * language: each assertion throws an `Error` whose message carries the reachability engine's
 * explanation (the policies and rules involved) when it fails.
 *
 * ```ts
 * const flows = Flows.of(chart);
 * flows.assertDenied('customer1', 'customer2', Port.tcp(8080));
 * flows.assertAllowed('ingress-nginx/ingress-nginx', 'customer1/backend', Port.tcp(8080));
 * flows.assertAllowed('customer1', 'kube-system/kube-dns', Port.udp(53));
 * ```
 */
export class Flows {
  /**
   * The flows of the app that `scope` belongs to (every chart of it), with the cluster services
   * of its `ClusterProfile`s.
   *
   * The app is synthesized when this is called (running its validations); build the flows
   * again to see later changes.
   *
   * @param scope an app, a chart or any construct inside one
   */
  public static of(scope: IConstruct): Flows {
    if (!scope || typeof scope !== 'object' || !scope.node) {
      throw new Error(`Flows.of expects an app, a chart or a construct inside one, got ${scope === null ? 'null' : typeof scope}`);
    }
    const root = scope.node.root;
    if (!(root instanceof App)) {
      // cdk8s cannot synthesize API objects of a chart outside an App.
      throw new Error(`Flows.of: "${scope.node.path}" is not inside a cdk8s App; create its chart in an App (new App() or Testing.app())`);
    }
    return new Flows(ConnectivityReport.fromApp(root));
  }

  /**
   * Flows over an existing report (for example one made with `ConnectivityReport.fromManifests`).
   *
   * @param report the report to assert on
   */
  public static fromReport(report: ConnectivityReport): Flows {
    if (!(report instanceof ConnectivityReport)) {
      throw new Error('Flows.fromReport expects a ConnectivityReport');
    }
    return new Flows(report);
  }

  /** The report the assertions are checked against. */
  public readonly report: ConnectivityReport;

  private constructor(report: ConnectivityReport) {
    this.report = report;
  }

  /**
   * Throws unless `source` can open a connection to `destination` on `port`.
   *
   * @param source a namespace name (some pod of it) or a pod key (`namespace/name`)
   * @param destination a namespace name (some pod of it) or a pod key (`namespace/name`)
   * @param port a single port: `Port.tcp(n)`, `Port.udp(n)` or `Port.sctp(n)`
   */
  public assertAllowed(source: string, destination: string, port: Port): void {
    if (!this.report.canReach(source, destination, port)) {
      throw new Error(`expected ${source} to reach ${destination} on ${port}, but it cannot: ${this.report.explain(source, destination, port)}`);
    }
  }

  /**
   * Throws if `source` can open a connection to `destination` on `port`.
   *
   * For namespaces this means that NO pod of `source` can reach any pod of `destination`.
   *
   * @param source a namespace name (every pod of it) or a pod key (`namespace/name`)
   * @param destination a namespace name (every pod of it) or a pod key (`namespace/name`)
   * @param port a single port: `Port.tcp(n)`, `Port.udp(n)` or `Port.sctp(n)`
   */
  public assertDenied(source: string, destination: string, port: Port): void {
    if (this.report.canReach(source, destination, port)) {
      throw new Error(`expected ${source} not to reach ${destination} on ${port}, but it can: ${this.report.explain(source, destination, port)}`);
    }
  }
}
