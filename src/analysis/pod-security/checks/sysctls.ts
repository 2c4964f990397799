import { asArray, asObject, asText, joinPath } from '../pod';
import { CheckFn, Finding, PodSecurityCheckDefinition } from '../types';

// Namespaced sysctls that are isolated between pods, and when each became allowed.
const SAFE_SYSCTLS_ADDED: readonly (readonly [number, readonly string[]])[] = [
  [0, [
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
    'net.ipv4.ip_unprivileged_port_start',
  ]],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

/** Baseline: only sysctls in the safe set for the policy version; names must match exactly. */
function allowOnlySafeSysctls(since: number): CheckFn {
  const allowed = SAFE_SYSCTLS_ADDED.filter(([added]) => added <= since).flatMap(([, names]) => names);
  const allowedSet: ReadonlySet<string> = new Set(allowed);
  return (pod) => {
    const findings: Finding[] = [];
    const sysctlsPath = joinPath(pod.specPath, 'securityContext', 'sysctls');
    asArray(pod.securityContext?.sysctls).forEach((item, index) => {
      const name = asText(asObject(item)?.name);
      if (!allowedSet.has(name)) {
        findings.push({
          path: joinPath(sysctlsPath, index, 'name'),
          message: `forbidden sysctls: ${JSON.stringify(name)} is not a safe sysctl at this policy version; ` +
            `remove it from securityContext.sysctls (allowed: ${allowed.join(', ')})`,
        });
      }
    });
    return findings;
  };
}

export const sysctlsCheck: PodSecurityCheckDefinition = {
  id: 'sysctls',
  level: 'baseline',
  variants: SAFE_SYSCTLS_ADDED.map(([since]) => ({ since, evaluate: allowOnlySafeSysctls(since) })),
};
