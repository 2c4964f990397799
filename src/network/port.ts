import { IConstruct } from 'constructs';
import { readWorkloadPods } from './workload-pods';
import { Protocol } from '../model/vocabulary';
import { guardError } from '../private/errors';

// IANA_SVC_NAME, the format the API server requires of named ports.
const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Which container ports of a workload `Port.ofWorkload` returns, and how.
 */
export interface WorkloadPortsOptions {
  /**
   * Only the container ports with these names (for example `["http"]` to leave out `metrics`).
   *
   * @default - every container port of the workload
   */
  readonly names?: string[];

  /**
   * Write each port by its name (`Port.named`), resolved by the network plugin on the destination
   * pods, instead of by its number. Every port returned must then have a name.
   *
   * @default false
   */
  readonly byName?: boolean;
}

/**
 * A port (or range of ports) that a flow allows.
 *
 * Ports never render as `port: 0`: "all ports of a protocol" is a rule entry with only the
 * protocol, and `Port.allTraffic()` is a rule without any port list.
 */
export class Port {
  /** A single TCP port. */
  public static tcp(port: number): Port {
    return new Port(Protocol.TCP, port, undefined, undefined, `TCP ${port}`);
  }

  /** A single UDP port. */
  public static udp(port: number): Port {
    return new Port(Protocol.UDP, port, undefined, undefined, `UDP ${port}`);
  }

  /** A single SCTP port. */
  public static sctp(port: number): Port {
    return new Port(Protocol.SCTP, port, undefined, undefined, `SCTP ${port}`);
  }

  /** An inclusive range of TCP ports (rendered with `endPort`). */
  public static tcpRange(startPort: number, endPort: number): Port {
    return new Port(Protocol.TCP, startPort, endPort, undefined, `TCP ${startPort}-${endPort}`);
  }

  /** An inclusive range of UDP ports (rendered with `endPort`). */
  public static udpRange(startPort: number, endPort: number): Port {
    return new Port(Protocol.UDP, startPort, endPort, undefined, `UDP ${startPort}-${endPort}`);
  }

  /** An inclusive range of SCTP ports (rendered with `endPort`). */
  public static sctpRange(startPort: number, endPort: number): Port {
    return new Port(Protocol.SCTP, startPort, endPort, undefined, `SCTP ${startPort}-${endPort}`);
  }

  /** Every TCP port. */
  public static allTcp(): Port {
    return new Port(Protocol.TCP, undefined, undefined, undefined, 'all TCP');
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port(Protocol.UDP, undefined, undefined, undefined, 'all UDP');
  }

  /** Every SCTP port. */
  public static allSctp(): Port {
    return new Port(Protocol.SCTP, undefined, undefined, undefined, 'all SCTP');
  }

  /**
   * A named container port (for example `metrics`), resolved by the network plugin on the
   * destination pod.
   *
   * @param name the container port name (IANA service name: at most 15 lower-case letters, digits and "-")
   * @param protocol the protocol of that container port; defaults to TCP
   */
  public static named(name: string, protocol?: Protocol): Port {
    const p = protocol ?? Protocol.TCP;
    return new Port(p, undefined, undefined, name, `${p} ${name}`);
  }

  /**
   * The ports a workload's containers declare (init containers included, as sidecars serve
   * traffic), each with its protocol: `Port.tcp(8080)` for `containerPort: 8080`, or
   * `Port.named("http")` with `byName`. Read when called; synthesis fails if the workload's
   * containers change afterwards.
   *
   * @param workload a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod)
   * or any ApiObject with a pod template
   * @param options which ports, and whether by name
   */
  public static ofWorkload(workload: IConstruct, options: WorkloadPortsOptions = {}): Port[] {
    const scope = workload?.node ? workload : '<unknown>';
    const facts = readWorkloadPods(workload, { scope, call: 'Port.ofWorkload' }, 'ports');
    const names = options.names;
    const available = [...new Set(facts.containerPorts.map(p => p.name).filter((n): n is string => n !== undefined))].sort();
    if (names !== undefined) {
      const unknown = names.filter(n => !available.includes(n));
      if (names.length === 0 || unknown.length > 0) {
        throw guardError(scope, `Port.ofWorkload: the ${facts.kind} "${facts.name}" has no container port named ${unknown.length > 0 ? unknown.map(n => `"${n}"`).join(', ') : '(none listed)'}`,
          available.length > 0 ? `list names among ${available.map(n => `"${n}"`).join(', ')}, or leave names out for every port` : 'name its container ports, or leave names out for every port');
      }
    }
    const chosen = names === undefined ? facts.containerPorts : facts.containerPorts.filter(p => p.name !== undefined && names.includes(p.name));
    if (chosen.length === 0) {
      throw guardError(scope, `Port.ofWorkload: the ${facts.kind} "${facts.name}" declares no container port`,
        'declare the ports on its containers (for example ports: [{ number: 8080, name: "http" }]), or list the ports with Port.tcp(...)');
    }
    const unnamed = chosen.filter(p => p.name === undefined);
    if (options.byName && unnamed.length > 0) {
      throw guardError(scope, `Port.ofWorkload: byName was asked, but container port ${unnamed.map(p => `${p.protocol} ${p.port}`).join(', ')} of the ${facts.kind} "${facts.name}" has no name`,
        'name every container port, or leave byName out to write ports by number');
    }
    const ports = chosen.map(p => (options.byName ? Port.named(p.name!, p.protocol) : Port.single(p.protocol, p.port)));
    return [...new Map(ports.map(p => [p._key, p])).values()];
  }

  /** Every port of every protocol (a rule with no port list). */
  public static allTraffic(): Port {
    return new Port(undefined, undefined, undefined, undefined, 'all traffic');
  }

  private static single(protocol: Protocol, port: number): Port {
    return new Port(protocol, port, undefined, undefined, `${protocol} ${port}`);
  }

  /** The protocol, or undefined for `Port.allTraffic()`. */
  public readonly protocol?: Protocol;

  private constructor(
    protocol: Protocol | undefined,
    private readonly port: number | undefined,
    private readonly endPort: number | undefined,
    private readonly portName: string | undefined,
    private readonly label: string,
  ) {
    this.protocol = protocol;
  }

  /** Whether this is `Port.allTraffic()`. */
  public get isAllTraffic(): boolean {
    return this.protocol === undefined;
  }

  /**
   * Whether this is a named port (`Port.named`).
   * @internal
   */
  public get _isNamed(): boolean {
    return this.portName !== undefined;
  }

  /** A readable form, such as `TCP 8080`, `UDP 53`, `TCP 8000-8100` or `all TCP`. */
  public toString(): string {
    return this.label;
  }

  /**
   * What is wrong with this port, one sentence each with the fix.
   * @internal
   */
  public _problems(): string[] {
    const problems: string[] = [];
    const checkNumber = (n: number, what: string) => {
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        const hint = n === 0
          ? `use Port.all${titleCase(this.protocol ?? 'Tcp')}() for every port of the protocol`
          : 'use an integer from 1 to 65535';
        problems.push(`${what} ${n} of "${this.label}" is not a valid port number; ${hint}`);
      }
    };
    if (this.port !== undefined) checkNumber(this.port, 'port');
    if (this.endPort !== undefined) {
      checkNumber(this.endPort, 'end port');
      if (this.port !== undefined && this.endPort <= this.port) {
        problems.push(`the range "${this.label}" is empty or backwards; give the lower port first, or use a single port when both ends are equal`);
      }
    }
    if (this.portName !== undefined) {
      const n = this.portName;
      if (n.length === 0 || n.length > 15 || !SERVICE_NAME.test(n) || !/[a-z]/.test(n) || n.includes('--')) {
        problems.push(`named port "${n}" is not a valid container port name; use at most 15 lower-case letters, digits and single "-", with at least one letter (for example "metrics")`);
      }
    }
    return problems;
  }

  /**
   * Identity used to merge repeated declarations of the same port.
   * @internal
   */
  public get _key(): string {
    return `${this.protocol ?? '*'}/${this.port ?? this.portName ?? '*'}/${this.endPort ?? ''}`;
  }

  /**
   * Orders ports for output: by protocol, then numerically, then by name.
   * @internal
   */
  public get _sortKey(): string {
    return `${this.protocol ?? ''}/${String(this.port ?? (this.portName !== undefined ? 65536 : 0)).padStart(5, '0')}/${String(this.endPort ?? 0).padStart(5, '0')}/${this.portName ?? ''}`;
  }

  /**
   * The NetworkPolicyPort this renders to, or undefined for all traffic.
   * @internal
   */
  public _render(): { [key: string]: unknown } | undefined {
    if (this.protocol === undefined) return undefined;
    const out: { [key: string]: unknown } = { protocol: this.protocol };
    if (this.port !== undefined) out.port = this.port;
    if (this.portName !== undefined) out.port = this.portName;
    if (this.endPort !== undefined) out.endPort = this.endPort;
    return out;
  }
}

function titleCase(protocol: string): string {
  return protocol.charAt(0).toUpperCase() + protocol.slice(1).toLowerCase();
}
