import { PodSecurityCheckDefinition } from '../types';
import { appArmorProfileCheck } from './app-armor';
import { capabilitiesBaselineCheck, capabilitiesRestrictedCheck } from './capabilities';
import { hostNamespacesCheck, hostPortsCheck, hostProbesAndHostLifecycleCheck, windowsHostProcessCheck } from './host';
import { allowPrivilegeEscalationCheck, privilegedCheck, procMountCheck, procMountRestrictedCheck } from './privilege';
import { seLinuxOptionsCheck } from './se-linux';
import { seccompProfileBaselineCheck, seccompProfileRestrictedCheck } from './seccomp';
import { sysctlsCheck } from './sysctls';
import { runAsNonRootCheck, runAsUserCheck } from './users';
import { hostPathVolumesCheck, restrictedVolumesCheck } from './volumes';

/** Every check, one entry per upstream check id. */
export const POD_SECURITY_CHECKS: readonly PodSecurityCheckDefinition[] = [
  allowPrivilegeEscalationCheck,
  appArmorProfileCheck,
  capabilitiesBaselineCheck,
  capabilitiesRestrictedCheck,
  hostNamespacesCheck,
  hostPathVolumesCheck,
  hostPortsCheck,
  hostProbesAndHostLifecycleCheck,
  privilegedCheck,
  procMountCheck,
  procMountRestrictedCheck,
  restrictedVolumesCheck,
  runAsNonRootCheck,
  runAsUserCheck,
  seLinuxOptionsCheck,
  seccompProfileBaselineCheck,
  seccompProfileRestrictedCheck,
  sysctlsCheck,
  windowsHostProcessCheck,
];
