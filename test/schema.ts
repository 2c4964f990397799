// Validates synthesized objects against the Kubernetes OpenAPI schema (kubernetes-models),
// offline, and the kinds kubernetes-models lacks (the cluster network policies of
// network-policy-api, Calico's staged policies) against our own JSON schemas in test/schemas/. Every test that synthesizes objects runs them
// through `expectValidManifests`.
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import Ajv from 'ajv';
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

/** The kinds validated with our own schemas, and where in them. */
const OWN_SCHEMAS: { readonly [apiVersionAndKind: string]: string } = {
  'policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy': 'network-policy-api-v1alpha2#/definitions/ClusterNetworkPolicy',
  'policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy': 'network-policy-api-v1alpha1#/definitions/AdminNetworkPolicy',
  'policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy': 'network-policy-api-v1alpha1#/definitions/BaselineAdminNetworkPolicy',
  'projectcalico.org/v3 StagedKubernetesNetworkPolicy': 'calico-staged-kubernetes-network-policy',
};

interface Validator {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string }> | null;
}

let ownValidators: Map<string, Validator> | undefined;

/** Our schemas, compiled with Ajv (JSON Schema); the CEL rules of the CRDs are keywords of their own. */
function ownValidator(apiVersion: string, kind: string): Validator | undefined {
  if (!ownValidators) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    ajv.addKeyword({ keyword: 'x-is-cidr', type: 'string', schemaType: 'boolean', errors: false, validate: (_: boolean, data: string) => isCidr(data) });
    ajv.addKeyword({
      keyword: 'x-start-before-end',
      type: 'object',
      schemaType: 'boolean',
      errors: false,
      validate: (_: boolean, data: any) => typeof data.start !== 'number' || typeof data.end !== 'number' || data.start < data.end,
    });
    ajv.addKeyword({
      keyword: 'x-no-named-port-with-networks',
      type: 'object',
      schemaType: 'boolean',
      errors: false,
      validate: (_: boolean, data: any) => !(Array.isArray(data.to) && data.to.some((p: any) => p?.networks !== undefined)
        && Array.isArray(data.protocols) && data.protocols.some((p: any) => p?.destinationNamedPort !== undefined)),
    });
    const dir = path.join(__dirname, 'schemas');
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
      ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    }
    ownValidators = new Map(Object.entries(OWN_SCHEMAS).map(([key, ref]) => [key, ajv.compile({ $ref: ref }) as Validator]));
  }
  return ownValidators.get(`${apiVersion} ${kind}`);
}

/**
 * Kubernetes' CEL `isCIDR`: an IP address and a decimal prefix length that fits it; no IPv6 zone,
 * no IPv4-mapped IPv6 address. Written on Node's own address parser, not the library's.
 */
export function isCidr(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const match = /^([^/%]+)\/(0|[1-9][0-9]{0,2})$/.exec(text);
  if (!match) return false;
  const family = net.isIP(match[1]);
  if (family === 0 || Number(match[2]) > (family === 4 ? 32 : 128)) return false;
  return family === 4 || !isIpv4Mapped(match[1]);
}

/** Whether an IPv6 address lies in ::ffff:0:0/96. */
function isIpv4Mapped(address: string): boolean {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = [...left, ...Array(tail === undefined ? 0 : 8 - left.length - right.length).fill('0'), ...right].map(g => parseInt(g, 16));
  return groups.slice(0, 5).every(g => g === 0) && groups[5] === 0xffff;
}

/** The schema problems of one object, empty when it is valid. */
export function schemaProblems(obj: any): string[] {
  const apiVersion = String(obj?.apiVersion ?? '');
  const kind = String(obj?.kind ?? '');
  const where = `${kind}/${obj?.metadata?.namespace ?? ''}/${obj?.metadata?.name}`;
  const own = ownValidator(apiVersion, kind);
  if (own) {
    return own(obj) ? [] : (own.errors ?? []).map(e => `${where}: ${e.instancePath || '/'} ${e.message}`
      + `${(e as { params?: { additionalProperty?: string } }).params?.additionalProperty ? ` (${(e as any).params.additionalProperty})` : ''}`);
  }
  const model = modelFor(apiVersion, kind);
  if (!model) return [`no schema for ${obj?.apiVersion} ${obj?.kind}`];
  try {
    new model(obj).validate();
    return [];
  } catch (e) {
    return [`${where}: ${(e as Error).message}`];
  }
}

/** Asserts that every object validates against the Kubernetes schema. */
export function expectValidManifests(objects: any[]): void {
  expect(objects.length).toBeGreaterThan(0);
  expect(objects.flatMap(schemaProblems)).toEqual([]);
}

// Keep the import so that bundlers and readers see where the schemas come from.
export const schemaPackage = models;
