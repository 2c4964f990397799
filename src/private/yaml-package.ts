// The yaml package, loaded on first use: the manifest reader's fast path (model/fast-yaml.ts) reads
// most manifests without it, and loading it would add a twentieth of a second to every command.
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

export function yamlPackage(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('yaml') as typeof Yaml;
  return loaded;
}
