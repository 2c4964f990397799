import { ContainerLimits, Quota, Subject, TeamNamespace, TenantNamespace } from '../../src';
import { COUNTED_OBJECTS, countKeys } from '../../src/analysis/evidence/namespace-controls';
import { AccessLevel } from '../../src/bundles/access';
import { roleRules } from '../../src/bundles/rbac-rules';
import { errorOf, findObject, K8sObject, newChart, quantity, synthValid } from '../helpers';

function synthWith(props: { quota?: Quota; containerLimits?: ContainerLimits }): K8sObject[] {
  const { chart } = newChart();
  new TeamNamespace(chart, 'team', props);
  return synthValid(chart);
}

function hardOf(quota?: Quota): { [key: string]: string } {
  return findObject(synthWith({ quota }), 'ResourceQuota', 'team', 'namespace-quota').spec.hard;
}

function limitsOf(props: { quota?: Quota; containerLimits?: ContainerLimits }): { [key: string]: { [resource: string]: string } } {
  const range = findObject(synthWith(props), 'LimitRange', 'team', 'container-limits');
  expect(range.spec.limits).toHaveLength(1);
  expect(range.spec.limits[0].type).toBe('Container');
  return range.spec.limits[0];
}

const MEDIUM = {
  'requests.cpu': '4',
  'limits.cpu': '8',
  'requests.memory': '8Gi',
  'limits.memory': '16Gi',
  'requests.ephemeral-storage': '20Gi',
  'limits.ephemeral-storage': '40Gi',
  'requests.storage': '100Gi',
  'persistentvolumeclaims': '10',
  'pods': '50',
  'services': '20',
  'secrets': '50',
  'configmaps': '50',
  'replicationcontrollers': '0',
  'resourcequotas': '2',
  'services.nodeports': '0',
  'services.loadbalancers': '0',
  'count/serviceaccounts': '20',
  'count/deployments.apps': '20',
  'count/replicasets.apps': '220',
  'count/statefulsets.apps': '10',
  'count/daemonsets.apps': '5',
  'count/jobs.batch': '60',
  'count/cronjobs.batch': '10',
  'count/horizontalpodautoscalers.autoscaling': '20',
  'count/poddisruptionbudgets.policy': '20',
  'count/ingresses.networking.k8s.io': '10',
  'count/roles.rbac.authorization.k8s.io': '10',
  'count/rolebindings.rbac.authorization.k8s.io': '20',
};

describe('Quota', () => {
  test('the default quota is medium and covers compute, storage and object counts', () => {
    expect(hardOf()).toEqual(MEDIUM);
  });

  test('small and large presets scale compute and counts, and still close NodePorts and LoadBalancers', () => {
    expect(hardOf(Quota.small())).toEqual({
      ...MEDIUM,
      'requests.cpu': '2',
      'limits.cpu': '4',
      'requests.memory': '4Gi',
      'limits.memory': '8Gi',
      'requests.ephemeral-storage': '10Gi',
      'limits.ephemeral-storage': '20Gi',
      'requests.storage': '20Gi',
      'persistentvolumeclaims': '5',
      'pods': '20',
      'services': '10',
      'secrets': '20',
      'configmaps': '20',
      'count/serviceaccounts': '10',
      'count/deployments.apps': '10',
      'count/replicasets.apps': '110',
      'count/statefulsets.apps': '5',
      'count/daemonsets.apps': '2',
      'count/jobs.batch': '30',
      'count/cronjobs.batch': '5',
      'count/horizontalpodautoscalers.autoscaling': '10',
      'count/poddisruptionbudgets.policy': '10',
      'count/ingresses.networking.k8s.io': '5',
      'count/roles.rbac.authorization.k8s.io': '5',
      'count/rolebindings.rbac.authorization.k8s.io': '10',
    });
    expect(hardOf(Quota.large())).toEqual({
      ...MEDIUM,
      'requests.cpu': '16',
      'limits.cpu': '32',
      'requests.memory': '32Gi',
      'limits.memory': '64Gi',
      'requests.ephemeral-storage': '50Gi',
      'limits.ephemeral-storage': '100Gi',
      'requests.storage': '500Gi',
      'persistentvolumeclaims': '25',
      'pods': '200',
      'services': '50',
      'secrets': '100',
      'configmaps': '100',
      'count/serviceaccounts': '50',
      'count/deployments.apps': '50',
      'count/replicasets.apps': '550',
      'count/statefulsets.apps': '25',
      'count/daemonsets.apps': '10',
      'count/jobs.batch': '150',
      'count/cronjobs.batch': '25',
      'count/horizontalpodautoscalers.autoscaling': '50',
      'count/poddisruptionbudgets.policy': '50',
      'count/ingresses.networking.k8s.io': '25',
      'count/roles.rbac.authorization.k8s.io': '20',
      'count/rolebindings.rbac.authorization.k8s.io': '50',
    });
    expect(hardOf(Quota.medium())).toEqual(MEDIUM);
  });

  test('Quota.of merges the given values over medium', () => {
    const quota = Quota.of({ requestsCpu: '1500m', limitsCpu: '3', pods: 7, loadBalancers: 1, nodePorts: 2 });
    expect(quota.values).toMatchObject({ requestsCpu: '1500m', limitsCpu: '3', pods: 7, requestsMemory: '8Gi' });
    expect(hardOf(quota)).toEqual({
      ...MEDIUM, 'requests.cpu': '1500m', 'limits.cpu': '3', 'pods': '7', 'services.loadbalancers': '1', 'services.nodeports': '2',
    });
  });

  test('Quota.of ignores undefined values', () => {
    expect(hardOf(Quota.of({ requestsCpu: undefined, pods: undefined }))).toEqual(MEDIUM);
  });

  test('every preset counts every kind the evidence asks to be counted, in a key form Kubernetes takes', () => {
    for (const quota of [Quota.small(), Quota.medium(), Quota.large(), Quota.of({ roles: 3 })]) {
      const hard = hardOf(quota);
      for (const resource of COUNTED_OBJECTS) expect([resource, countKeys(resource).some(k => hard[k] !== undefined)]).toEqual([resource, true]);
      // Beyond the core kinds Kubernetes names by their resource, only count/<resource>[.<group>] counts.
      for (const key of Object.keys(hard).filter(k => k.startsWith('count/'))) {
        expect(key).toMatch(/^count\/(serviceaccounts|[a-z]+\.[a-z0-9.]+)$/);
      }
    }
  });

  test('replica sets and jobs leave room for the revisions Deployments keep and the Jobs CronJobs keep', () => {
    for (const quota of [Quota.small(), Quota.medium(), Quota.large()]) {
      const v = quota.values;
      expect(v.replicaSets).toBe(v.deployments! * 11);
      expect(v.jobs).toBeGreaterThanOrEqual(v.cronJobs! * 5);
    }
  });

  test('Quota.of sets one object count and keeps the others', () => {
    const hard = hardOf(Quota.of({ roles: 4, cronJobs: 0 }));
    expect(hard).toEqual({ ...MEDIUM, 'count/roles.rbac.authorization.k8s.io': '4', 'count/cronjobs.batch': '0' });
  });

  test('a quota with fewer Roles, RoleBindings or service accounts than the bundle writes is refused, naming the field', () => {
    const { chart } = newChart();
    const message = errorOf(() => new TenantNamespace(chart, 'customer1', {
      quota: Quota.of({ roles: 1, serviceAccounts: 0 }),
      admins: [Subject.group('a')],
      viewers: [Subject.group('v')],
    }));
    expect(message).toContain('[test/customer1]');
    expect(message).toContain('quota roles is 1, below the 2 Roles the bundle writes in the namespace itself; raise it to at least 2');
    expect(message).toContain('quota serviceAccounts is 0, below the 1 ServiceAccount (default) the bundle writes in the namespace itself');
    expect(message).not.toContain('quota roleBindings');
    const { chart: other } = newChart();
    expect(() => new TenantNamespace(other, 'customer1', { quota: Quota.of({ roles: 0, roleBindings: 0 }) })).not.toThrow();
  });

  test('a second quota admits no pod of the system priority classes, and the counts make room for it', () => {
    const { chart } = newChart();
    new TenantNamespace(chart, 'customer1');
    const objects = synthValid(chart);
    expect(findObject(objects, 'ResourceQuota', 'customer1', 'namespace-guard-system-priority').spec).toEqual({
      hard: { pods: '0' },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-cluster-critical', 'system-node-critical'] }] },
    });
    // Both quotas count against resourcequotas: with 1, the API server would refuse the second.
    expect(findObject(objects, 'ResourceQuota', 'customer1', 'namespace-quota').spec.hard.resourcequotas).toBe('2');
    const { chart: other } = newChart();
    expect(errorOf(() => new TenantNamespace(other, 'customer1', { quota: Quota.of({ resourceQuotas: 1 }) })))
      .toContain('quota resourceQuotas is 1, below the 2 ResourceQuotas (namespace-quota, and the system-priority one) the bundle writes');
  });

  test('every kind the bundle\'s access levels let tenants create is counted in every preset', () => {
    const created = roleRules(AccessLevel.ADMIN).filter(r => r.verbs.includes('create'))
      .flatMap(r => r.resources.filter(res => !res.includes('/')).map(res => (r.apiGroups[0] === '' ? res : `${res}.${r.apiGroups[0]}`)));
    for (const quota of [Quota.small(), Quota.medium(), Quota.large()]) {
      const hard = Object.keys(quota._hard());
      for (const resource of created) {
        expect([resource, hard.some(k => k === resource || k === `count/${resource}`)]).toEqual([resource, true]);
      }
    }
  });

  test('an object count that is not a whole number is refused', () => {
    const { chart } = newChart();
    expect(errorOf(() => new TenantNamespace(chart, 'customer1', { quota: Quota.of({ deployments: 2.5 }) })))
      .toContain('quota deployments must be a whole number of at least 0, not 2.5');
  });

  test('every preset has requests no larger than limits', () => {
    for (const quota of [Quota.small(), Quota.medium(), Quota.large()]) {
      const v = quota.values;
      expect(quantity(v.requestsCpu!)).toBeLessThanOrEqual(quantity(v.limitsCpu!));
      expect(quantity(v.requestsMemory!)).toBeLessThanOrEqual(quantity(v.limitsMemory!));
      expect(quantity(v.requestsEphemeralStorage!)).toBeLessThanOrEqual(quantity(v.limitsEphemeralStorage!));
    }
  });
});

describe('ContainerLimits', () => {
  test('standard defaults, with maximums equal to the quota limits', () => {
    expect(limitsOf({})).toEqual({
      type: 'Container',
      defaultRequest: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '256Mi' },
      default: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
      max: { 'cpu': '8', 'memory': '16Gi', 'ephemeral-storage': '40Gi' },
    });
  });

  test('maximums follow the chosen quota', () => {
    expect(limitsOf({ quota: Quota.small() }).max).toEqual({ 'cpu': '4', 'memory': '8Gi', 'ephemeral-storage': '20Gi' });
    expect(limitsOf({ quota: Quota.of({ limitsCpu: '6' }) }).max.cpu).toBe('6');
  });

  test('ContainerLimits.of merges over standard, and explicit maximums win', () => {
    const containerLimits = ContainerLimits.of({ defaultLimitCpu: '1', maxCpu: '2', maxMemory: '4Gi' });
    expect(containerLimits.values).toMatchObject({ defaultRequestCpu: '100m', defaultLimitCpu: '1', maxCpu: '2' });
    expect(ContainerLimits.standard().values.maxCpu).toBeUndefined();
    const limits = limitsOf({ containerLimits });
    expect(limits.default.cpu).toBe('1');
    expect(limits.max).toEqual({ 'cpu': '2', 'memory': '4Gi', 'ephemeral-storage': '40Gi' });
  });

  test.each([
    ['standard limits with the medium quota', {}],
    ['standard limits with the small quota', { quota: Quota.small() }],
    ['standard limits with the large quota', { quota: Quota.large() }],
    ['custom limits', { quota: Quota.of({ requestsMemory: '1Gi', limitsMemory: '2Gi' }), containerLimits: ContainerLimits.of({ defaultLimitMemory: '1Gi', maxMemory: '2Gi' }) }],
  ])('%s: defaultRequest <= default <= max <= quota limit', (_name, props) => {
    const objects = synthWith(props);
    const limits = findObject(objects, 'LimitRange', 'team', 'container-limits').spec.limits[0];
    const hard = findObject(objects, 'ResourceQuota', 'team', 'namespace-quota').spec.hard;
    for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
      expect(quantity(limits.defaultRequest[resource])).toBeLessThanOrEqual(quantity(limits.default[resource]));
      expect(quantity(limits.default[resource])).toBeLessThanOrEqual(quantity(limits.max[resource]));
      expect(quantity(limits.max[resource])).toBeLessThanOrEqual(quantity(hard[`limits.${resource}`]));
      expect(quantity(limits.defaultRequest[resource])).toBeLessThanOrEqual(quantity(hard[`requests.${resource}`]));
    }
  });
});

describe('unknown container limit fields', () => {
  test('are rejected with the list of known fields', () => {
    const { chart } = newChart();
    const message = errorOf(() => new TenantNamespace(chart, 'customer1', { containerLimits: ContainerLimits.of({ maxCpus: '2' } as any) }));
    expect(message).toContain('[test/customer1]');
    expect(message).toContain('container limit field "maxCpus" is unknown; use one of');
  });
});
