import { Protocol } from '../model/vocabulary';

// IANA_SVC_NAME, the format the API server requires of named ports.
const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

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

  /** Every port of every protocol (a rule with no port list). */
  public static allTraffic(): Port {
    return new Port(undefined, undefined, undefined, undefined, 'all traffic');
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
