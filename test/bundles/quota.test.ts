import { ContainerLimits, Quota, TeamNamespace, TenantNamespace } from '../../src';
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
  'resourcequotas': '1',
  'services.nodeports': '0',
  'services.loadbalancers': '0',
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
