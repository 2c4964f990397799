import { Construct } from 'constructs';
import { NamespaceBundle, NamespaceBundleOptions } from './namespace-bundle';
import { granted } from './profile-grant';
import { PodSecurityLevel, Profile } from '../model/vocabulary';

/**
 * Properties of a `TeamNamespace`.
 */
export interface TeamNamespaceProps extends NamespaceBundleOptions {
  /**
   * The team name, written as the `namespace-guard.dev/team` label.
   *
   * @default - the construct id
   */
  readonly teamName?: string;

  /**
   * The namespace name.
   *
   * @default - the team name
   */
  readonly namespaceName?: string;

  /**
   * The Pod Security Standards level. `PRIVILEGED` fails synthesis unless acknowledged with
   * `acknowledge(RuleId.PRIVILEGED_POD_SECURITY, reason)`.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
}

/**
 * One development team per namespace: the team works independently inside it (edit- or
 * admin-like rights through `editors` and `admins`, nothing outside) under the cluster-wide
 * standards. Flows to other teams are declared per service and port.
 */
export class TeamNamespace extends NamespaceBundle {
  /** The team name. */
  public readonly teamName: string;

  constructor(scope: Construct, id: string, props: TeamNamespaceProps = {}) {
    const teamName = props.teamName ?? id;
    super(scope, id, granted({
      ...props,
      namespaceName: props.namespaceName ?? teamName,
    }, { profile: Profile.TEAM, ownerName: teamName }));
    this.teamName = teamName;

    // Team-to-team flows are an API contract: name the ports instead of opening everything.
    this._addFlowGuard((_direction, _peer, peerSpec, ports) => {
      const otherTeam = peerSpec.managedEndpoints.find(e => e.bundle instanceof TeamNamespace && e.bundle.namespaceName !== this.namespaceName);
      if (otherTeam && ports.some(p => p.isAllTraffic)) {
        return {
          problem: `a flow between teams "${this.namespaceName}" and "${otherTeam.bundle.namespaceName}" allows all traffic`,
          fix: 'declare team-to-team flows per service and port, for example other.pods({ app: "api" }) with Port.tcp(8080)',
        };
      }
      return undefined;
    });
  }
}
