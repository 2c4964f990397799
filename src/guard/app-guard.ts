// The synth-time guard: one construct per app that, during cdk8s validation, renders every object
// of the app, builds the cluster model from those manifests and runs the rules over it, exactly as
// `namespace-guard check` does on YAML files.
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { acknowledgementsOn } from './acknowledge';
import { Finding } from './finding';
import { Acknowledgement, firstConflict, parseAcknowledgements, renderAcknowledgements } from '../model/acknowledgements';
import { ClusterModel } from '../model/cluster-model';
import { ClusterNetwork, ClusterNetworkFacts } from '../model/cluster-network';
import { HostClaim, HostIndex } from '../model/hosts';
import { Manifest, ManifestError } from '../model/manifests';
import { ACKNOWLEDGED_ANNOTATION } from '../model/vocabulary';
import { isRecord } from '../private/json';
import { ruleById } from '../rules/all-rules';
import { evaluateRules, RuleFinding } from '../rules/evaluate';
import { holderKinds } from '../rules/rule';
import { FindingSeverity } from '../rules/rule-id';

const GUARD_ID = 'namespace-guard';

/** One evaluation of the app: its findings and the problems that stop the rules from running. */
interface Evaluation {
  readonly findings: readonly Finding[];
  /** Problems with the input itself (an acknowledgement that covers nothing, an invalid field), as `[path] problem`. */
  readonly errors: readonly string[];
}

/** What the guard wrote into an object's acknowledgement annotation, and what was there before. */
interface WrittenAcknowledgements {
  readonly before: string | undefined;
  readonly written: string;
}

/**
 * The one construct per app that runs the rules over the whole app, once per synthesis.
 */
export class AppGuard extends Construct {
  /** The guard of the app that `scope` belongs to, created on first use. */
  public static of(scope: IConstruct): AppGuard {
    return AppGuard.find(scope) ?? new AppGuard(scope.node.root as Construct);
  }

  /** The guard of the app that `scope` belongs to, if one was created. */
  public static find(scope: IConstruct): AppGuard | undefined {
    return scope.node.root.node.tryFindChild(GUARD_ID) as AppGuard | undefined;
  }

  /**
   * Runs `synthesize` as one synthesis: however many validation passes cdk8s makes inside it (one
   * per chart, plus one), the model is built and the rules run once.
   */
  public static duringSynthesis<T>(scope: IConstruct, synthesize: () => T): T {
    const guard = AppGuard.find(scope);
    return guard ? guard.during(synthesize) : synthesize();
  }

  private readonly managed = new Map<string, IConstruct>();
  /** Per managed namespace, the construct after which the other objects of that namespace are written. */
  private readonly groupAnchors = new Map<string, IConstruct>();
  private readonly owners = new Set<IConstruct>();
  private readonly claimListeners: Array<(owner: IConstruct) => void> = [];
  private readonly networks = new Set<ClusterNetworkFacts>();
  private readonly ingressHosts = new HostIndex<IConstruct>();
  /** Library objects whose rendering is reused by the rest of the current synthesis. */
  private readonly reused: Array<{ readonly obj: ApiObject; readonly previous?: PropertyDescriptor }> = [];
  private readonly printed = new Set<string>();
  private readonly written = new WeakMap<ApiObject, WrittenAcknowledgements>();
  /** What must happen to the constructs before anything of the app is rendered. */
  private readonly preparations: Array<() => void> = [];
  private quiet = false;
  private synthesisDepth = 0;
  private cached?: Evaluation;

  private constructor(root: Construct) {
    super(root, GUARD_ID);
    this.node.addValidation({ validate: () => this.validate() });
    if (root instanceof App) this.wrapSynthesis(root);
    this.beforeRendering(() => this.groupByNamespace());
  }

  /**
   * Writes every object of the namespace, wherever in its chart it was created, right after
   * `anchor` (a construct of the bundle placed after its Namespace object), so that the YAML holds
   * each namespace's objects together whatever the order of construction.
   */
  public groupNamespaceObjects(namespaceName: string, anchor: IConstruct): void {
    this.groupAnchors.set(namespaceName, anchor);
  }

  /**
   * Claims a namespace for the construct that manages it; returns the construct that already
   * manages it, if another one does.
   */
  public claimNamespace(namespaceName: string, owner: IConstruct): IConstruct | undefined {
    const existing = this.managed.get(namespaceName);
    if (existing && existing !== owner) return existing;
    this.managed.set(namespaceName, owner);
    this.owners.add(owner);
    if (!existing) this.claimListeners.forEach(listener => listener(owner));
    return undefined;
  }

  /**
   * Calls `listener` with every construct that manages a namespace, in claim order: at once for
   * those that already do, and for each later one as it claims its namespace (from inside its
   * constructor, once its name, profile and enforcement are set).
   */
  public onNamespaceClaimed(listener: (owner: IConstruct) => void): void {
    [...new Set(this.managed.values())].forEach(listener);
    this.claimListeners.push(listener);
  }

  /**
   * Claims an Ingress host for `owner`; owners of one `group` (the members of a zone) share hosts.
   * Returns the earlier claim of another group that overlaps it, if any.
   */
  public claimIngressHost(host: string, owner: IConstruct, group: unknown): HostClaim<IConstruct> | undefined {
    return this.ingressHosts.claim(host, owner, group);
  }

  /**
   * Declares the address ranges of a cluster the app's bundles use (a ClusterProfile). The rules
   * see the union of every declaration.
   */
  public declareClusterNetwork(facts: ClusterNetworkFacts): void {
    this.networks.add(facts);
  }

  /** The constructs that manage namespaces, by namespace name, in the order they were claimed. */
  public get managedNamespaces(): ReadonlyMap<string, IConstruct> {
    return this.managed;
  }

  /**
   * Runs `prepare` before every synthesis and evaluation of the app, once all constructs exist,
   * before any object is rendered.
   */
  public beforeRendering(prepare: () => void): void {
    this.preparations.push(prepare);
  }

  /** Stops printing acknowledged findings and warnings during synthesis. */
  public silence(): void {
    this.quiet = true;
  }

  /** Every finding of the app, acknowledged ones included. Throws when the app cannot be evaluated. */
  public findings(): Finding[] {
    const { findings, errors } = this.evaluate();
    if (errors.length > 0) throw new Error(errors.join('\n'));
    return [...findings];
  }

  private during<T>(synthesize: () => T): T {
    if (this.synthesisDepth === 0) this.prepare();
    this.synthesisDepth++;
    try {
      return synthesize();
    } finally {
      this.synthesisDepth--;
      if (this.synthesisDepth === 0) {
        this.cached = undefined;
        for (const { obj, previous } of this.reused.splice(0)) {
          if (previous) Object.defineProperty(obj, 'toJson', previous);
          else delete (obj as { toJson?: unknown }).toJson;
        }
      }
    }
  }

  private prepare(): void {
    for (const prepare of this.preparations) prepare();
  }

  /**
   * cdk8s writes a chart's objects in construction order, except that an object comes after what it
   * depends on. Making each bundle's anchor depend on the objects of its namespace created elsewhere
   * in the chart moves them next to the bundle's own objects; other objects keep their order.
   */
  private groupByNamespace(): void {
    if (this.groupAnchors.size === 0) return;
    for (const c of this.node.root.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const namespace = c.metadata.namespace;
      const anchor = namespace === undefined ? undefined : this.groupAnchors.get(namespace);
      const owner = anchor?.node.scope;
      if (!anchor || !owner || c.node.scopes.includes(owner as IConstruct) || Chart.of(c) !== Chart.of(anchor)) continue;
      anchor.node.addDependency(c);
    }
  }

  /**
   * Within one synthesis, cdk8s renders every object again after validation. The objects of the
   * library's own bundles are rendered once: nothing can change them between the guard's pass and
   * the output (no user code runs inside the synthesis), so the output reuses the guard's rendering.
   */
  private reuseRendering(obj: ApiObject, json: unknown): void {
    if (this.synthesisDepth === 0 || !obj.node.scope || !this.owners.has(obj.node.scope)) return;
    const previous = Object.getOwnPropertyDescriptor(obj, 'toJson');
    Object.defineProperty(obj, 'toJson', { value: () => json, configurable: true, writable: true });
    this.reused.push({ obj, previous });
  }

  /** cdk8s validates the whole app once per chart inside one synth call; the guard evaluates once per call. */
  private wrapSynthesis(app: App): void {
    for (const method of ['synth', 'synthYaml'] as const) {
      const original = app[method] as (...args: unknown[]) => unknown;
      Object.defineProperty(app, method, {
        value: (...args: unknown[]) => this.during(() => original.apply(app, args)),
        configurable: true,
        writable: true,
      });
    }
  }

  private validate(): string[] {
    const { findings, errors: problems } = this.evaluate();
    const errors = [...problems];
    for (const finding of findings) {
      if (finding.acknowledgedReason !== undefined) {
        // Accepted findings stay visible in the synth output, with their reason.
        this.print(`[namespace-guard] acknowledged ${formatFinding(finding)} (reason: ${finding.acknowledgedReason})`);
      } else if (finding.severity === FindingSeverity.ERROR) {
        errors.push(formatFinding(finding));
      } else {
        this.print(`[namespace-guard] warning${finding.monitored ? ' (monitor mode)' : ''} ${formatFinding(finding)}`);
      }
    }
    return errors;
  }

  private print(line: string): void {
    if (this.quiet || this.printed.has(line)) return;
    this.printed.add(line);
    console.warn(line);
  }

  private evaluate(): Evaluation {
    if (this.synthesisDepth > 0 && this.cached) return this.cached;
    const evaluation = this.evaluateNow();
    if (this.synthesisDepth > 0) this.cached = evaluation;
    return evaluation;
  }

  private evaluateNow(): Evaluation {
    this.prepare();
    const all = this.node.root.node.findAll();
    const apiObjects = all.filter((c): c is ApiObject => ApiObject.isApiObject(c));
    const errors: string[] = [];
    const acknowledged = this.acknowledgementsByObject(all, errors);

    const rendered: ApiObject[] = [];
    const manifests: Manifest[] = [];
    for (const obj of apiObjects) {
      let json: any;
      try {
        json = obj.toJson();
      } catch {
        continue; // the object's own synthesis reports its error
      }
      const acks = acknowledged.get(obj);
      if (acks) {
        const problem = this.writeAcknowledgements(obj, json, acks);
        if (problem) errors.push(`[${reportPath(obj)}] ${problem}`);
        json = obj.toJson(); // rendered again with the annotation, exactly as the output will be
      }
      this.reuseRendering(obj, json);
      rendered.push(obj);
      manifests.push({ object: json, source: obj.node.path, document: 1 });
    }
    if (errors.length > 0) return { findings: [], errors };

    let ruleFindings: RuleFinding[];
    try {
      ruleFindings = evaluateRules(ClusterModel.fromManifests(manifests, this.clusterNetwork()));
    } catch (e) {
      if (!(e instanceof ManifestError) || e.source === undefined) throw e;
      // The message starts with "<construct path> document 1: "; name the construct as every other error does.
      const problem = e.message.startsWith(`${e.source} document 1: `) ? e.message.slice(`${e.source} document 1: `.length) : e.message;
      return { findings: [], errors: [`[${reportPath(rendered[manifests.findIndex(m => m.source === e.source)])}] ${problem}`] };
    }
    const findings = ruleFindings.map((f): Finding => ({
      ruleId: f.rule.id,
      severity: f.severity,
      path: reportPath(rendered[f.object.position]),
      namespaceName: f.namespace,
      objectKind: f.object.kind,
      objectName: f.object.name,
      ...(f.target === undefined ? {} : { target: f.target }),
      message: f.message,
      fix: f.fix,
      monitored: f.monitored,
      ...(f.acknowledgement === undefined ? {} : { acknowledgedReason: f.acknowledgement.reason }),
    }));
    return { findings, errors: [] };
  }

  /** The union of the declared ranges and plugin; read at each evaluation, since profiles are plain values once built. */
  private clusterNetwork(): ClusterNetwork {
    return ClusterNetwork.union([...this.networks]);
  }

  /**
   * The acknowledgements made on constructs, by the objects they cover: the Namespaces inside the
   * acknowledged construct for namespace rules, the objects of the rule's kinds for the others.
   */
  private acknowledgementsByObject(all: readonly IConstruct[], errors: string[]): Map<ApiObject, Array<{ ack: Acknowledgement; scope: IConstruct }>> {
    const byObject = new Map<ApiObject, Array<{ ack: Acknowledgement; scope: IConstruct }>>();
    for (const scope of all) {
      for (const ack of acknowledgementsOn(scope)) {
        const rule = ruleById(ack.rule)!;
        const kinds = holderKinds(rule);
        const covered = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && kinds.includes(c.kind));
        if (covered.length === 0) {
          const where = rule.acknowledgedOn === 'namespace'
            ? 'namespace rules are acknowledged on the bundle (bundle.acknowledge) or a construct that holds its Namespace'
            : `acknowledge it on the ${kinds.join(', ')} it is about, or on a construct that holds them`;
          errors.push(`[${scope.node.path}] acknowledge("${ack.rule}") covers no ${kinds.join(' or ')}. Fix: ${where}`);
          continue;
        }
        for (const obj of covered) {
          const list = byObject.get(obj) ?? [];
          list.push({ ack, scope });
          byObject.set(obj, list);
        }
      }
    }
    return byObject;
  }

  /**
   * Writes the acknowledgements that cover `obj` into its annotation (keeping any the object
   * carried itself, as read from its rendering `json`); returns a problem, if any.
   */
  private writeAcknowledgements(obj: ApiObject, json: any, acks: ReadonlyArray<{ ack: Acknowledgement; scope: IConstruct }>): string | undefined {
    const annotations = isRecord(json.metadata) && isRecord(json.metadata.annotations) ? json.metadata.annotations : {};
    const rendered: unknown = annotations[ACKNOWLEDGED_ANNOTATION];
    const previous = this.written.get(obj);
    const before = previous && rendered === previous.written ? previous.before : typeof rendered === 'string' ? rendered : undefined;
    let own: Acknowledgement[];
    try {
      own = before === undefined ? [] : parseAcknowledgements(before);
    } catch (e) {
      return `annotation ${ACKNOWLEDGED_ANNOTATION}: ${(e as Error).message}`;
    }
    const merged = [...own, ...acks.map(a => a.ack)];
    const conflict = firstConflict(merged);
    if (conflict) {
      const scopes = [...new Set(acks.map(a => a.scope.node.path))].join(' and ');
      return `the acknowledgements made on ${scopes} disagree: ${conflict}`;
    }
    const written = renderAcknowledgements(merged);
    obj.metadata.addAnnotation(ACKNOWLEDGED_ANNOTATION, written);
    this.written.set(obj, { before, written });
    return undefined;
  }
}

/**
 * The construct a finding about `obj` is reported against: the construct that made the object
 * (a cdk8s-plus workload, a bundle), or the object itself when it sits directly in a chart.
 */
function reportPath(obj: ApiObject): string {
  const parent = obj.node.scope;
  return parent && !Chart.isChart(parent) && !(parent instanceof App) ? parent.node.path : obj.node.path;
}

/** `[path] rule-id: message. Fix: fix`, one line. */
export function formatFinding(f: Finding): string {
  return `[${f.path}] ${f.ruleId}: ${f.message}. Fix: ${f.fix}`;
}
