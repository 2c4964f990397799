import * as fs from 'fs';
import * as path from 'path';

/** What the command says about itself: `--version`, and the tool of a SARIF log. */
export interface PackageInfo {
  /** The package's version, or `unknown` when package.json cannot be read. */
  readonly version: string;
  /** The repository's web address, when package.json names one over https. */
  readonly homepage?: string;
}

let cached: PackageInfo | undefined;

/** Read from the package.json next to src/ or lib/ (this file is <package>/{src,lib}/cli/package-info). */
export function packageInfo(): PackageInfo {
  cached ??= readPackageInfo();
  return cached;
}

function readPackageInfo(): PackageInfo {
  let pkg: unknown;
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  } catch {
    return { version: 'unknown' };
  }
  const record = typeof pkg === 'object' && pkg !== null ? pkg as { version?: unknown; repository?: unknown } : {};
  const version = typeof record.version === 'string' ? record.version : 'unknown';
  const repository = record.repository;
  const url = typeof repository === 'string' ? repository
    : typeof repository === 'object' && repository !== null ? (repository as { url?: unknown }).url : undefined;
  const homepage = typeof url === 'string' ? /^(?:git\+)?(https:\/\/[^\s]+?)(?:\.git)?$/.exec(url)?.[1] : undefined;
  return homepage === undefined ? { version } : { version, homepage };
}
