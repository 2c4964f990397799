// Validates synthesized objects against the Kubernetes OpenAPI schema (kubernetes-models),
// offline. Every test that synthesizes objects runs them through `expectValidManifests`.
import * as fs from 'fs';
import * as path from 'path';
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

// Kinds kubernetes-models has no schema for (a network plugin's resources) have JSON schemas of our
// own in test/schemas/, one file per kind named <group>_<version>_<Kind>.json, each naming its source
// in `$comment`. They are checked with the ajv that kubernetes-models validates with, resolved from
// its validate package (the ajv at the top of node_modules may be another major version).
const OWN_SCHEMAS = path.join(__dirname, 'schemas');
type OwnValidator = (obj: any) => string[];
const ownValidators = new Map<string, OwnValidator | undefined>();

function ownValidatorFor(apiVersion: string, kind: string): OwnValidator | undefined {
  const file = path.join(OWN_SCHEMAS, `${apiVersion.replace('/', '_')}_${kind}.json`);
  if (!ownValidators.has(file)) ownValidators.set(file, fs.existsSync(file) ? compileOwnSchema(file) : undefined);
  return ownValidators.get(file);
}

function compileOwnSchema(file: string): OwnValidator {
  const ajvPath = require.resolve('ajv', { paths: [path.dirname(require.resolve('@kubernetes-models/validate'))] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require(ajvPath).default;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(file, 'utf8')));
  return obj => (validate(obj) ? [] : (validate.errors as any[]).map(e =>
    `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`));
}

/** The schema problems of one object, empty when it is valid. */
export function schemaProblems(obj: any): string[] {
  const own = ownValidatorFor(String(obj?.apiVersion ?? ''), String(obj?.kind ?? ''));
  if (own) return own(obj).map(p => `${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}: ${p}`);
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
