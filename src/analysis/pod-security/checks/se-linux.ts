import { asObject, asText, joinPath, quoteList } from '../pod';
import { CheckFn, Finding, PodSecurityCheckDefinition } from '../types';
import { securityContextOwners } from './common';

const TYPES_V1_0 = ['container_t', 'container_init_t', 'container_kvm_t'];
// v1.31 added the type used by container engines running inside containers.
const TYPES_V1_31 = [...TYPES_V1_0, 'container_engine_t'];

/**
 * Baseline: seLinuxOptions.type must be empty or one of the container types, and
 * user and role must be empty. One finding per offending field.
 */
function restrictSELinuxOptions(allowedTypes: readonly string[]): CheckFn {
  return (pod) => {
    const findings: Finding[] = [];
    for (const owner of securityContextOwners(pod)) {
      const options = asObject(owner.securityContext?.seLinuxOptions);
      if (!options) {
        continue;
      }
      const optionsPath = joinPath(owner.path, 'seLinuxOptions');
      const type = asText(options.type);
      if (type !== '' && !allowedTypes.includes(type)) {
        findings.push({
          path: joinPath(optionsPath, 'type'),
          message: `seLinuxOptions: ${owner.subject} must not set securityContext.seLinuxOptions.type to ` +
            `${JSON.stringify(type)}; use one of ${quoteList(allowedTypes)} or leave it empty`,
        });
      }
      for (const field of ['user', 'role'] as const) {
        if (asText(options[field]) !== '') {
          findings.push({
            path: joinPath(optionsPath, field),
            message: `seLinuxOptions: ${owner.subject} must not set securityContext.seLinuxOptions.${field}; remove it`,
          });
        }
      }
    }
    return findings;
  };
}

export const seLinuxOptionsCheck: PodSecurityCheckDefinition = {
  id: 'seLinuxOptions',
  level: 'baseline',
  variants: [
    { since: 0, evaluate: restrictSELinuxOptions(TYPES_V1_0) },
    { since: 31, evaluate: restrictSELinuxOptions(TYPES_V1_31) },
  ],
};
