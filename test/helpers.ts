// Small helpers shared by the construct tests: build a chart, synthesize it (always through the
// Kubernetes schema check) and look objects up by kind, namespace and name.
import { App, Chart, ChartProps, Testing } from 'cdk8s';
import { expectValidManifests } from './schema';
import { ManifestError } from '../src/model/manifests';

/** A synthesized Kubernetes object, loosely typed for assertions. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: { [key: string]: string };
    readonly annotations?: { [key: string]: string };
  };
  readonly [key: string]: any;
}

/** A fresh app with one chart named `test`. */
export function newChart(props?: ChartProps): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', props);
  return { app, chart };
}

/**
 * Synthesizes the chart (which runs the construct validations) and checks every object against
 * the Kubernetes OpenAPI schema before returning the objects.
 */
export function synthValid(chart: Chart): K8sObject[] {
  const objects = Testing.synth(chart) as K8sObject[];
  expectValidManifests(objects);
  return objects;
}

/** Every object of a kind, optionally only those of one namespace. */
export function objectsOf(objects: K8sObject[], kind: string, namespace?: string): K8sObject[] {
  return objects.filter(o => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
}

/** The one object of a kind, namespace and name; fails the test when it is missing. */
export function findObject(objects: K8sObject[], kind: string, namespace: string | undefined, name: string): K8sObject {
  const found = objects.filter(o => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
  if (found.length !== 1) {
    const have = objects.filter(o => o.kind === kind).map(o => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    throw new Error(`expected exactly one ${kind} ${namespace ?? ''}/${name}, found ${found.length}; have: ${have.join(', ')}`);
  }
  return found[0];
}

/** The Namespace object called `name`. */
export function namespaceOf(objects: K8sObject[], name: string): K8sObject {
  return findObject(objects, 'Namespace', undefined, name);
}

/** The labels of the Namespace called `name`. */
export function namespaceLabels(objects: K8sObject[], name: string): { [key: string]: string } {
  return namespaceOf(objects, name).metadata.labels ?? {};
}

/** The NetworkPolicies of a namespace. */
export function policiesOf(objects: K8sObject[], namespace: string): K8sObject[] {
  return objectsOf(objects, 'NetworkPolicy', namespace);
}

/** The names of the NetworkPolicies of a namespace, sorted. */
export function policyNames(objects: K8sObject[], namespace: string): string[] {
  return policiesOf(objects, namespace).map(p => p.metadata.name).sort();
}

/** The NetworkPolicy `name` of a namespace. */
export function policyOf(objects: K8sObject[], namespace: string, name: string): K8sObject {
  return findObject(objects, 'NetworkPolicy', namespace, name);
}

/** The names of the policies a namespace has on top of the built-in ones. */
export function flowPolicyNames(objects: K8sObject[], namespace: string): string[] {
  const builtIn = new Set(['default-deny', 'allow-dns', 'allow-same-namespace', 'monitor-allow-all']);
  return policyNames(objects, namespace).filter(n => !builtIn.has(n));
}

/** The error `fn` throws; fails the test when it throws nothing. */
export function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
  throw new Error('expected the call to throw, but it returned normally');
}

/** The ManifestError `fn` throws; fails the test when it throws nothing or something else. */
export function manifestErrorOf(fn: () => unknown): ManifestError {
  const e = thrownBy(fn);
  expect(e).toBeInstanceOf(ManifestError);
  return e as ManifestError;
}

/** A Namespace manifest as YAML. */
export const NAMESPACE_YAML = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

/** The message of the error `fn` throws; fails the test when it throws nothing. */
export function errorOf(fn: () => unknown): string {
  return thrownBy(fn).message;
}

const MULTIPLIERS: { [suffix: string]: number } = {
  '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40,
};

/**
 * The value of the simple Kubernetes quantities the tests use ("500m", "2", "512Mi"). Written
 * independently of the library's parser so the tests do not check the library against itself.
 */
export function quantity(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|Ki|Mi|Gi|Ti)?$/.exec(text);
  if (!match) throw new Error(`test helper cannot parse quantity "${text}"`);
  return Number(match[1]) * MULTIPLIERS[match[2] ?? ''];
}

/** Visits every value of a JSON-like tree with the key it was found under (array indexes as keys). */
export function walk(value: unknown, visit: (key: string, value: unknown) => void, key = ''): void {
  visit(key, value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, visit, String(i)));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, visit, k);
  }
}

/** Every value found under `key` anywhere in the objects. */
export function valuesUnder(objects: unknown, key: string): unknown[] {
  const found: unknown[] = [];
  walk(objects, (k, v) => {
    if (k === key) found.push(v);
  });
  return found;
}
