// How a pod gets an API token: the service account it runs as and the fields of its template that
// ask for a token. Read by the service-account-token rule and the evidence of CIS 5.1.6.
import { Workload } from './cluster-model';
import { isRecord } from '../private/json';

/** `spec.serviceAccountName` (or the deprecated `serviceAccount`); pods without one run as `default`. */
export function serviceAccountOf(workload: Workload): string {
  const spec = workload.template.spec;
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const value = spec[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'default';
}

/** Where the pod template asks for a token explicitly, as `path: what`. */
export function tokenMounts(workload: Workload): string[] {
  const spec = workload.template.spec;
  const path = workload.template.path;
  const found: string[] = [];
  if (spec.automountServiceAccountToken === true) found.push(`${path}.automountServiceAccountToken: true`);
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.forEach((v: unknown, i) => {
    const sources = isRecord(v) && isRecord(v.projected) && Array.isArray(v.projected.sources) ? v.projected.sources : [];
    if (sources.some(s => isRecord(s) && isRecord(s.serviceAccountToken))) {
      found.push(`${path}.volumes[${i}] projects a serviceAccountToken${isRecord(v) && typeof v.name === 'string' ? ` (volume "${v.name}")` : ''}`);
    }
  });
  return found;
}
