// `namespace-guard check --format sarif`: the findings as a SARIF 2.1.0 log (OASIS), in the subset
// GitHub code scanning reads: every rule with its descriptions, help and security severity, and per
// finding its rule, level, message with the fix, and the file and line of the object's document.
// The types are the SARIF 2.1.0 schema's (@types/sarif).
import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as sarif from 'sarif';
import { STDIN_LABEL } from './io';
import { PackageInfo } from './package-info';
import { RuleFinding } from '../rules/evaluate';
import { Rule } from '../rules/rule';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifOptions {
  /** The rules the findings come from, all listed in the log (code scanning shows them even without findings). */
  readonly rules: readonly Rule[];
  /** File paths are written relative to it. */
  readonly cwd: string;
  readonly tool: PackageInfo;
}

/** The key of our own partial fingerprint: stable while the object, rule and target stay, whatever line they move to. */
export const FINGERPRINT_KEY = 'namespaceGuardFinding/v1';

/** The SARIF log of the findings, one line of JSON. */
export function renderSarif(findings: readonly RuleFinding[], options: SarifOptions): string {
  const ruleIndex = new Map(options.rules.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const results = findings.map((f): sarif.Result => {
    const identity = [f.rule.id, f.object.apiVersion.split('/').slice(0, -1).join('/'), f.object.kind, f.namespace, f.object.name, f.target ?? ''].join('\n');
    // Two findings of one rule about the same object and target (two containers' ports...) stay apart.
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    const fingerprint = createHash('sha256').update(`${identity}\n${occurrence}`).digest('hex').slice(0, 32);
    return {
      ruleId: f.rule.id,
      ruleIndex: ruleIndex.get(f.rule.id) ?? -1,
      level: f.severity,
      message: { text: `${sentence(f.message)} Fix: ${sentence(f.fix)}` },
      locations: [location(f, options.cwd)],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
      ...(f.acknowledgement ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: f.acknowledgement.reason }] } : {}),
      properties: {
        kind: f.object.kind,
        namespace: f.namespace,
        name: f.object.name,
        ...(f.target === undefined ? {} : { target: f.target }),
        ...(f.monitored ? { monitorMode: true } : {}),
      },
    };
  });
  const { version, homepage } = options.tool;
  const log: sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'namespace-guard',
          version,
          ...(/^\d+\.\d+\.\d+(?:[-+].*)?$/.test(version) ? { semanticVersion: version } : {}),
          ...(homepage === undefined ? {} : { informationUri: homepage }),
          rules: options.rules.map(sarifRule),
        },
      },
      results,
    }],
  };
  return JSON.stringify(log);
}

function sarifRule(rule: Rule): sarif.ReportingDescriptor {
  const acknowledge = `Acknowledge a finding with the namespace-guard.dev/acknowledged annotation of the ${rule.acknowledgedOn === 'namespace' ? 'Namespace' : 'object it is about'}: `
    + `"${rule.id}${rule.target === undefined ? '' : '[<target>]'}: <reason>"${rule.target === undefined ? '' : `, the target being ${rule.target}`}.`;
  return {
    id: rule.id,
    name: rule.id.split('-').map(w => w[0].toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: sentence(rule.summary[0].toUpperCase() + rule.summary.slice(1)) },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.description}\n\nFix: ${rule.remedy}\n\n${acknowledge}`,
      markdown: `${rule.description}\n\n**Fix:** ${rule.remedy}\n\n${acknowledge.replace(/"([^"]+)"/, '`$1`')}`,
    },
    defaultConfiguration: { level: rule.severity },
    properties: { 'tags': ['security', 'kubernetes'], 'security-severity': rule.securitySeverity.toFixed(1), 'precision': 'very-high' },
  };
}

/**
 * The finding's file, relative to the working directory (as code scanning resolves it from the
 * repository's root), or a file URI outside it; the line where the object's document starts.
 * Standard input has no file to point to: only the object is named.
 */
function location(f: RuleFinding, cwd: string): sarif.Location {
  const m = f.object.manifest;
  const logical = [{ name: f.object.name, fullyQualifiedName: `${f.namespace}/${f.object.kind}/${f.object.name}`, kind: 'resource' }];
  if (m.source === STDIN_LABEL) return { logicalLocations: logical };
  return {
    // Every manifest read from text has a line; 1 stands in for one that has none.
    physicalLocation: { artifactLocation: { uri: fileUri(m.source, cwd) }, region: { startLine: m.line ?? 1 } },
    logicalLocations: logical,
  };
}

function fileUri(file: string, cwd: string): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return pathToFileURL(absolute).href;
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

/** Text ending with a full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
