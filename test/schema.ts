// Validates synthesized objects against the Kubernetes OpenAPI schema (kubernetes-models),
// offline. Every test that synthesizes objects runs them through `expectValidManifests`.
import * as models from 'kubernetes-models';

type Model = new (data: any) => { validate(): void };

function modelFor(apiVersion: string, kind: string): Model | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const moduleName = group === '' ? version : `${group}/${version}`;
  let mod: { [key: string]: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`kubernetes-models/${moduleName}`);
  } catch {
    return undefined;
  }
  return mod[kind] as Model | undefined;
}

/** The schema problems of one object, empty when it is valid. */
export function schemaProblems(obj: any): string[] {
  const model = modelFor(String(obj?.apiVersion ?? ''), String(obj?.kind ?? ''));
  if (!model) return [`no schema for ${obj?.apiVersion} ${obj?.kind}`];
  try {
    new model(obj).validate();
    return [];
  } catch (e) {
    return [`${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}: ${(e as Error).message}`];
  }
}

/** Asserts that every object validates against the Kubernetes schema. */
export function expectValidManifests(objects: any[]): void {
  expect(objects.length).toBeGreaterThan(0);
  expect(objects.flatMap(schemaProblems)).toEqual([]);
}

// Keep the import so that bundlers and readers see where the schemas come from.
export const schemaPackage = models;
