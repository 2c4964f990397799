// Permissions as sets that can be compared: each rule taken apart into single permissions (one verb
// on one resource of one API group, or on one object of it, or on one non-resource URL), wildcards
// kept as they are. A permission is covered by a set when the set holds it or something wider: `*`
// for its group, resource or verb, `*/<subresource>` for a subresource, the whole resource for one
// object of it, a `prefix*` URL for a path. Used to say what a change grants that was not granted
// before, and whether a grant gives more than Kubernetes gives everyone.
import { ESCALATING_VERBS, RbacRule, READ_VERBS, UNNAMED_VERBS, WRITE_VERBS } from './rules';
import { compareText } from '../../private/json';

const SEP = '\u0000';
const RESOURCE = 'R';
const URL = 'U';
const UNKNOWN = '?';

/** One permission, as a key: resource, non-resource URL, or a grant whose rules cannot be shown. */
export type Permission = string;

function resourcePermission(group: string, resource: string, verb: string, name = ''): Permission {
  return [RESOURCE, group, resource, verb, name].join(SEP);
}

/** A grant the input cannot show (a role it does not hold): covered only by itself. */
function unknownPermission(text: string): Permission {
  return [UNKNOWN, text].join(SEP);
}

/** The single permissions of a rule. */
export function permissionsOf(rule: RbacRule): Permission[] {
  const out: Permission[] = [];
  const names = rule.resourceNames.length > 0 ? rule.resourceNames : [''];
  for (const group of rule.apiGroups) {
    for (const resource of rule.resources) {
      for (const verb of rule.verbs) {
        for (const name of names) {
          if (name !== '' && UNNAMED_VERBS.has(verb)) continue;
          out.push(resourcePermission(group, resource, verb, name));
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs) for (const verb of rule.verbs) out.push([URL, url, verb].join(SEP));
  return out;
}

export class PermissionSet {
  static readonly EMPTY = new PermissionSet([]);

  static of(rules: readonly RbacRule[], unknown: readonly string[] = []): PermissionSet {
    return new PermissionSet([...rules.flatMap(permissionsOf), ...unknown.map(unknownPermission)]);
  }

  /** The union of some sets. */
  static union(sets: readonly PermissionSet[]): PermissionSet {
    if (sets.length === 1) return sets[0];
    return new PermissionSet(sets.flatMap(s => [...s.keys]));
  }

  private readonly keys: ReadonlySet<Permission>;
  /** Per verb, the prefixes of the `prefix*` URLs. */
  private readonly urlPrefixes = new Map<string, string[]>();

  private constructor(permissions: readonly Permission[]) {
    this.keys = new Set(permissions);
    for (const key of this.keys) {
      const [kind, url, verb] = key.split(SEP);
      if (kind !== URL || !url.endsWith('*')) continue;
      const list = this.urlPrefixes.get(verb) ?? [];
      list.push(url.slice(0, -1));
      this.urlPrefixes.set(verb, list);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  get permissions(): readonly Permission[] {
    return [...this.keys];
  }

  /** Whether the set allows everything `permission` allows. */
  covers(permission: Permission): boolean {
    if (this.keys.has(permission)) return true;
    const [kind, a, b, c, d] = permission.split(SEP);
    if (kind === URL) {
      return [b, '*'].some(verb => this.keys.has([URL, a, verb].join(SEP)) || (this.urlPrefixes.get(verb) ?? []).some(p => a.startsWith(p)));
    }
    if (kind !== RESOURCE) return false;
    const slash = b.indexOf('/');
    const resources = [b, '*', ...(slash > 0 && !b.startsWith('*') ? [`*${b.slice(slash)}`] : [])];
    for (const group of [a, '*']) {
      for (const resource of resources) {
        for (const verb of [c, '*']) {
          for (const name of d === '' ? [''] : [d, '']) {
            if (this.keys.has([RESOURCE, group, resource, verb, name].join(SEP))) return true;
          }
        }
      }
    }
    return false;
  }

  /** The permissions of this set that none of `others` covers. */
  beyond(...others: PermissionSet[]): Permission[] {
    return [...this.keys].filter(p => !others.some(o => o.covers(p)));
  }

  /** Whether every permission of this set is covered by `other`. */
  within(other: PermissionSet): boolean {
    return [...this.keys].every(p => other.covers(p));
  }
}

/** Whether a permission is wide: a wildcard, an escalating verb, or a write to the objects that hold tenants apart. */
export function isWide(permission: Permission, sensitive: ReadonlyArray<readonly [string, string]>): boolean {
  const [kind, a, b, c] = permission.split(SEP);
  if (kind === UNKNOWN) return true;
  if (kind === URL) return a.includes('*') || b === '*';
  if (a === '*' || b.startsWith('*') || c === '*') return true;
  if (ESCALATING_VERBS.includes(c)) return true;
  return WRITE_VERBS.includes(c) && sensitive.some(([group, resource]) => group === a && resource === b);
}

const VERB_ORDER = [...READ_VERBS, ...WRITE_VERBS];

function verbOrder(a: string, b: string): number {
  const [x, y] = [VERB_ORDER.indexOf(a), VERB_ORDER.indexOf(b)];
  if (x >= 0 && y >= 0) return x - y;
  if (x >= 0 || y >= 0) return x >= 0 ? -1 : 1;
  return compareText(a, b);
}

/** `deployments.apps/scale`, `every resource of every API group`. */
function resourceText(group: string, resource: string): string {
  const groupText = group === '*' ? 'every API group' : group === '' ? 'the core API group' : `API group ${group}`;
  if (resource === '*') return `every resource of ${groupText}`;
  const slash = resource.indexOf('/');
  const [base, sub] = slash > 0 ? [resource.slice(0, slash), resource.slice(slash + 1)] : [resource, ''];
  if (base === '*') return `the ${sub} subresource of every resource of ${groupText}`;
  const qualified = group === '' ? base : group === '*' ? `${base} (of every API group)` : `${base}.${group}`;
  return sub === '' ? qualified : `${qualified}/${sub}`;
}

/**
 * Permissions as sorted lines, one per resource (or object, or URL) with its verbs:
 * `create/delete on networkpolicies.networking.k8s.io`, `every verb on every resource of every API group`,
 * `get on secrets named db-login`, `get on the non-resource URL /healthz`.
 */
export function permissionTexts(permissions: Iterable<Permission>): string[] {
  const verbs = new Map<string, string[]>();
  const unknown: string[] = [];
  for (const p of permissions) {
    const parts = p.split(SEP);
    if (parts[0] === UNKNOWN) {
      unknown.push(parts[1]);
      continue;
    }
    const verb = parts[0] === URL ? parts[2] : parts[3];
    const target = parts[0] === URL
      ? `the non-resource URL ${parts[1]}`
      : `${resourceText(parts[1], parts[2])}${parts[4] === '' ? '' : ` named ${parts[4]}`}`;
    const list = verbs.get(target) ?? [];
    list.push(verb);
    verbs.set(target, list);
  }
  const lines = [...verbs].map(([target, list]) => {
    const text = list.includes('*') ? 'every verb' : [...new Set(list)].sort(verbOrder).join('/');
    return `${text} on ${target}`;
  });
  return [...lines, ...unknown].sort(compareText);
}
