// RBAC subjects that reach outside the namespace of the binding that names them. Kubernetes gives
// every authenticated identity a group, and `system:` groups and users stand for whole classes of
// identities: binding one of them in a namespace grants the role to far more than its team.

/** Groups and users that stand for everyone, every service account, every node or the cluster admins. */
const BROAD_SUBJECTS: Readonly<Record<string, string>> = {
  'system:authenticated': 'every authenticated user and service account of the cluster',
  'system:unauthenticated': 'every unauthenticated request',
  'system:anonymous': 'every anonymous request',
  'system:serviceaccounts': 'every service account of the cluster',
  'system:masters': 'the cluster administrators, whom RBAC never restricts',
  'system:nodes': 'every node\'s kubelet',
};

const SERVICE_ACCOUNTS_OF = 'system:serviceaccounts:';
const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * What a User or Group subject named `name` stands for when it reaches beyond `namespace` (every
 * authenticated user, every service account of another namespace...), or undefined when it does not.
 */
export function broadSubject(name: string, namespace: string): string | undefined {
  const known = BROAD_SUBJECTS[name];
  if (known) return known;
  if (name.startsWith(SERVICE_ACCOUNTS_OF) && name.slice(SERVICE_ACCOUNTS_OF.length) !== namespace) {
    return `every service account of namespace "${name.slice(SERVICE_ACCOUNTS_OF.length)}"`;
  }
  const sa = SERVICE_ACCOUNT_USER.exec(name);
  if (sa && sa[1] !== namespace) return `service account "${sa[2]}" of namespace "${sa[1]}"`;
  return undefined;
}
