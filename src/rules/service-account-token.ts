import { Rule, RuleHit } from './rule';
import { FindingSeverity, RuleId } from './rule-id';
import { ClusterModel } from '../model/cluster-model';
import { serviceAccountOf, tokenMounts } from '../model/service-account-tokens';
import { API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION, SERVICE_ACCOUNT_TOKEN_SECRET_TYPE, WORKLOAD_KINDS } from '../model/vocabulary';

/**
 * A managed namespace declares the service accounts whose pods may talk to the API server
 * (`namespace-guard.dev/api-access-service-accounts`, the bundles' `apiAccessServiceAccounts`).
 * Any other API token is a finding: a long-lived token Secret (it never expires and anyone who can
 * read Secrets can use it), a workload that mounts a token (`automountServiceAccountToken: true` or a
 * projected `serviceAccountToken` volume) under an undeclared service account, and an undeclared
 * ServiceAccount that does not turn token automount off.
 */
export const serviceAccountTokenRule: Rule = {
  id: RuleId.SERVICE_ACCOUNT_TOKEN,
  severity: FindingSeverity.ERROR,
  summary: 'a managed namespace has an API token it does not declare: a token Secret, a mounted token, an automounting ServiceAccount',
  description: 'A managed namespace has an API token it does not declare in namespace-guard.dev/api-access-service-accounts: a long-lived service-account-token Secret, a workload that mounts a token, or a ServiceAccount that automounts one. Each token is a credential to the API server that leaks with the pod.',
  remedy: 'Delete token Secrets; set automountServiceAccountToken: false on undeclared ServiceAccounts and remove token mounts; declare the service accounts that need the API in the bundle\'s apiAccessServiceAccounts. Acknowledge service-account-token on the object only with the reason.',
  securitySeverity: 6.0,
  acknowledgedOn: 'object',
  objectKinds: ['Secret', 'ServiceAccount', ...WORKLOAD_KINDS.map(k => k.kind)],
  check(model: ClusterModel): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const ns of model.namespaces.filter(n => n.managed)) {
      const declare = (sa: string) => `list "${sa}" in the bundle's apiAccessServiceAccounts (the Namespace's ${API_ACCESS_SERVICE_ACCOUNTS_ANNOTATION} annotation)`;
      for (const secret of ns.secrets.filter(s => s.secretType === SERVICE_ACCOUNT_TOKEN_SECRET_TYPE)) {
        hits.push({
          object: secret,
          namespace: ns.name,
          message: `Secret "${secret.name}" in namespace "${ns.name}" is a long-lived service-account token (type ${SERVICE_ACCOUNT_TOKEN_SECRET_TYPE}): `
            + 'it never expires, and whoever can read Secrets in the namespace can use it',
          fix: 'delete it; pods that need the API get a short-lived projected token when their service account is declared in apiAccessServiceAccounts',
        });
      }
      for (const workload of ns.workloads) {
        const sa = serviceAccountOf(workload);
        if (ns.apiAccessServiceAccounts.includes(sa)) continue;
        const mounts = tokenMounts(workload);
        if (mounts.length === 0) continue;
        hits.push({
          object: workload,
          namespace: ns.name,
          message: `${workload.kind} "${workload.name}" in namespace "${ns.name}" mounts an API token (${mounts.join('; ')}), `
            + `but its service account "${sa}" is not declared for API access`,
          fix: `remove the token mount, or ${declare(sa)}`,
        });
      }
      for (const account of ns.serviceAccounts) {
        if (account.automountToken === false || ns.apiAccessServiceAccounts.includes(account.name)) continue;
        hits.push({
          object: account,
          namespace: ns.name,
          message: `ServiceAccount "${account.name}" in namespace "${ns.name}" does not set automountServiceAccountToken: false, `
            + 'so every pod running as it gets an API token',
          fix: `set automountServiceAccountToken: false, or ${declare(account.name)}`,
        });
      }
    }
    return hits;
  },
};
