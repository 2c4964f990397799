// CEL as the API server runs it for admission policies: compiled once, with the strings extension
// and the standard macros, over JSON values converted the way Kubernetes types them (integral
// numbers are ints, mappings are maps). Without a type checker, names are checked on the syntax tree.
import * as vm from 'vm';
import { CelEnv, celEnv, CelInput, CelValue, isCelError, isCelList, isCelMap, parse, plan } from '@bufbuild/cel';
import {
  DEFAULT_MINOR, environmentFunctions, functionStatus, isQualifiedFunction, NEWEST_MINOR, OLDEST_MINOR, tracking,
  TWO_VARIABLE_MACROS, TWO_VARIABLE_SINCE, unsimulated, UNSIMULATED_MACROS,
} from './cel-library';
import { isRecord } from '../../private/json';

/** The variables every admission expression may read. */
export const ADMISSION_VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables', 'authorizer'] as const;

/** Type names usable as values (`type(x) == int`). */
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn']);

/** Why an expression reading `authorizer` is not evaluated: RBAC is not simulated offline. */
export const AUTHORIZER_UNAVAILABLE = 'authorizer (the request\'s RBAC authorization is not simulated offline)';

const ENVIRONMENTS = new Map<number, CelEnv>();

function environment(minor: number): CelEnv {
  let env = ENVIRONMENTS.get(minor);
  if (!env) {
    env = celEnv({ funcs: environmentFunctions(minor) });
    ENVIRONMENTS.set(minor, env);
  }
  return env;
}

/**
 * A value; an evaluation error (the API server's error too, which failurePolicy decides); or
 * `notSimulated`: the result depends on something not evaluated here, so nothing is known.
 */
export type CelOutcome =
  | { readonly ok: true; readonly value: CelValue }
  | { readonly ok: false; readonly error: string; readonly notSimulated?: undefined }
  | { readonly ok: false; readonly notSimulated: string; readonly error?: undefined };

type Program = ReturnType<typeof plan>;

/** A CEL expression that could not be compiled. */
export class CelCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CelCompileError';
  }
}

/** Checks a Kubernetes minor version (1.NN) the simulator knows. */
export function checkKubernetesMinor(minor: number): number {
  if (!Number.isInteger(minor) || minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
    throw new RangeError(`Kubernetes 1.${minor} is not simulated: choose a minor from 1.${OLDEST_MINOR} to 1.${NEWEST_MINOR}`);
  }
  return minor;
}

/** An expression compiled once and evaluated for every request. */
export class CompiledExpression {
  /**
   * Parses and plans `text` for the API server of Kubernetes 1.`kubernetesMinor`.
   * `variableNames` are the `variables.<name>` it may read (for a variable: those declared
   * before it). Throws a CelCompileError where that API server refuses the expression at
   * creation: a syntax error, a name no admission expression can have, a function it does not
   * have (at that version), a literal regular expression RE2 refuses.
   */
  static compile(text: string, variableNames: ReadonlySet<string>, kubernetesMinor: number = DEFAULT_MINOR): CompiledExpression {
    const minor = checkKubernetesMinor(kubernetesMinor);
    const found = planned(text, minor);
    if (found.optionalSyntax !== undefined) {
      // Optional field syntax parses on the API server (optional types, every version here) but not here.
      return new CompiledExpression(text, undefined, `optional field syntax (${found.optionalSyntax}) of the optional types library`);
    }
    const { program, names } = found;
    const unknown = [...names.roots].filter(n => !(ADMISSION_VARIABLES as readonly string[]).includes(n) && !TYPE_NAMES.has(n));
    if (unknown.length > 0) {
      throw new CelCompileError(`undeclared reference to ${unknown.map(n => `'${n}'`).join(', ')} `
        + `(expressions can read ${ADMISSION_VARIABLES.join(', ')})`);
    }
    const undeclared = [...names.variables].filter(n => !variableNames.has(n));
    if (undeclared.length > 0) {
      throw new CelCompileError(`undefined variable ${undeclared.map(n => `'variables.${n}'`).join(', ')}`
        + ' (a variable can be used by the validations and by the variables declared after it)');
    }
    let staticReason: string | undefined = names.roots.has('authorizer') ? AUTHORIZER_UNAVAILABLE : undefined;
    for (const call of names.calls) {
      if (call.twoVariableMacro) {
        if (minor < TWO_VARIABLE_SINCE) {
          throw new CelCompileError(`${call.name}() with three arguments (a two-variable comprehension) is not available to a new policy `
            + `on Kubernetes 1.${minor}: it arrives in 1.${TWO_VARIABLE_SINCE}`);
        }
        staticReason ??= `${call.name}() with two variables (two-variable comprehensions)`;
        continue;
      }
      const status = functionStatus(call.name, minor);
      if (status.kind === 'unknown') {
        throw new CelCompileError(`undeclared reference to '${call.name}': the Kubernetes 1.${minor} CEL environment has no such function`);
      }
      if (status.kind === 'unavailable') {
        throw new CelCompileError(`${call.name}() (${status.library} library) is not available to a new policy on Kubernetes 1.${minor}: `
          + `the API server compiles new policies with the previous minor's libraries, so it arrives in 1.${status.since}`);
      }
      if (status.kind === 'unsimulated' && UNSIMULATED_MACROS.has(call.name)) staticReason ??= `${call.name}() (${status.library} library)`;
    }
    for (const pattern of names.regexLiterals) checkRegexLiteral(pattern, minor);
    return new CompiledExpression(text, program, staticReason);
  }

  private constructor(
    readonly text: string,
    private readonly program: Program | undefined,
    /** Set when every evaluation depends on something not simulated (found on the syntax tree). */
    readonly notSimulated: string | undefined,
  ) {}

  /** Evaluates with the given bindings; a runtime error is an outcome, never an exception. */
  evaluate(bindings: Readonly<Record<string, CelInput>>): CelOutcome {
    if (this.notSimulated !== undefined || !this.program) return { ok: false, notSimulated: this.notSimulated ?? 'not simulated' };
    const program = this.program;
    const { result, reached } = tracking((): CelOutcome => {
      try {
        const value = withinBudget(() => program(bindings as Record<string, CelInput>));
        return isCelError(value) ? { ok: false, error: value.message } : { ok: true, value };
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
          return { ok: false, error: `evaluation exceeded ${EVALUATION_BUDGET_MS} ms (the API server stops an expression that exceeds its cost limit)` };
        }
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    });
    // A value is exact even when a stub was reached: its error was absorbed, as any value would be.
    if (!result.ok && reached.length > 0) return { ok: false, notSimulated: reached[0] };
    return result;
  }
}

/**
 * How long one expression may run. The API server stops an expression whose cost exceeds its
 * limit (an evaluation error); offline, a wall-clock budget does the same for an expression built
 * to run for ever (comprehensions nested over large lists), so a hostile policy cannot hang the
 * command.
 */
export const EVALUATION_BUDGET_MS = 2000;

// Code run through a vm script with a timeout is stopped when the budget runs out, even code of
// this module: the watchdog terminates whatever JavaScript the script is running.
const BUDGET_CONTEXT = vm.createContext({ job: undefined as (() => unknown) | undefined });
const RUN_JOB = new vm.Script('job()');

function withinBudget<T>(job: () => T): T {
  const previous = BUDGET_CONTEXT.job;
  BUDGET_CONTEXT.job = job;
  try {
    return RUN_JOB.runInContext(BUDGET_CONTEXT, { timeout: EVALUATION_BUDGET_MS }) as T;
  } finally {
    BUDGET_CONTEXT.job = previous;
  }
}

/** Planned programs by version and expression text: bundles repeat the same expressions in many policies. */
const PLANNED = new Map<string, Planned>();

type Planned =
  | { readonly optionalSyntax?: undefined; readonly program: Program; readonly names: ReferencedNames }
  | { readonly optionalSyntax: string; readonly program?: undefined; readonly names?: undefined };

function planned(text: string, minor: number): Planned {
  const key = `${minor}\u0000${text}`;
  let found = PLANNED.get(key);
  if (!found) {
    try {
      const parsed = parse(text);
      const names = referencedNames(parsed.expr);
      for (const macro of Object.values(parsed.sourceInfo?.macroCalls ?? {})) {
        // bufbuild expands existsOne(x, p) as a macro; cel-go has no such two-argument macro.
        const call = macro.exprKind.case === 'callExpr' ? macro.exprKind.value : undefined;
        const name = call?.function;
        if (name === 'existsOne') throw new CelCompileError("undeclared reference to 'existsOne' (the single-variable macro is exists_one)");
      }
      found = { program: plan(environment(minor), parsed), names };
    } catch (e) {
      if (e instanceof CelCompileError) throw e;
      const optional = optionalSyntax(text);
      if (optional === undefined) throw new CelCompileError((e as Error).message);
      found = { optionalSyntax: optional };
    }
    PLANNED.set(key, found);
  }
  return found;
}

/** The first `.?` or `[?` outside string literals, which only optional types give a meaning. */
function optionalSyntax(text: string): string | undefined {
  const outsideStrings = text.replace(/(?:[rR]?)("""[\s\S]*?"""|'\'\'[\s\S]*?'\'\'|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')/g, '""');
  return /\.\s*\?|\[\s*\?/.exec(outsideStrings)?.[0].replace(/\s+/g, '');
}

/** Refuses a constant pattern RE2 would refuse: the API server validates regex literals at compile time. */
function checkRegexLiteral(pattern: string, minor: number): void {
  const outcome = plan(environment(minor), parse('s.matches(p)'))({ s: '', p: pattern });
  if (isCelError(outcome)) throw new CelCompileError(`invalid regular expression ${JSON.stringify(pattern)}: ${outcome.message}`);
}

interface ReferencedNames {
  /** Free identifiers (not bound by a macro). */
  readonly roots: Set<string>;
  /** Fields selected from `variables`. */
  readonly variables: Set<string>;
  /** Every function called, by name (qualified names like `sets.contains` whole). */
  readonly calls: Array<{ readonly name: string; readonly twoVariableMacro: boolean }>;
  /** Constant patterns given to `matches`. */
  readonly regexLiterals: string[];
}

/** The free identifiers, functions and `variables.<name>` of a syntax tree. */
function referencedNames(root: unknown): ReferencedNames {
  const found: ReferencedNames = { roots: new Set(), variables: new Set(), calls: [], regexLiterals: [] };
  const visit = (expr: unknown, bound: ReadonlySet<string>): void => {
    const kind = isRecord(expr) && isRecord(expr.exprKind) ? expr.exprKind : undefined;
    if (!kind || !isRecord(kind.value)) return;
    const node = kind.value;
    if (kind.case === 'identExpr') {
      if (typeof node.name === 'string' && !bound.has(node.name)) found.roots.add(node.name);
      return;
    }
    if (kind.case === 'selectExpr' && identName(node.operand) === 'variables' && !bound.has('variables') && typeof node.field === 'string') {
      found.variables.add(node.field);
    }
    if (kind.case === 'comprehensionExpr') {
      visit(node.iterRange, bound);
      visit(node.accuInit, bound);
      const inner = new Set([...bound, ...[node.iterVar, node.iterVar2, node.accuVar].filter((v): v is string => typeof v === 'string' && v !== '')]);
      for (const part of [node.loopCondition, node.loopStep, node.result]) visit(part, inner);
      return;
    }
    if (kind.case === 'callExpr' && typeof node.function === 'string') {
      const args = Array.isArray(node.args) ? node.args : [];
      const qualifier = qualifiedName(node.target);
      if (qualifier !== undefined && !bound.has(qualifier.split('.')[0]) && isQualifiedFunction(`${qualifier}.${node.function}`)) {
        found.calls.push({ name: `${qualifier}.${node.function}`, twoVariableMacro: false });
        args.forEach(a => visit(a, bound));
        return;
      }
      const twoVariableMacro = node.target !== undefined && args.length === 3 && TWO_VARIABLE_MACROS.has(node.function);
      found.calls.push({ name: node.function, twoVariableMacro });
      if (twoVariableMacro || UNSIMULATED_MACROS.has(node.function)) {
        // Its first arguments are names it binds: only the target is an ordinary expression.
        visit(node.target, bound);
        return;
      }
      if (node.function === 'matches') {
        const pattern = stringConstant(args[args.length - 1]);
        if (pattern !== undefined && args.length + (node.target === undefined ? 0 : 1) === 2) found.regexLiterals.push(pattern);
      }
    }
    for (const child of childExprs(node)) visit(child, bound);
  };
  visit(root, new Set());
  return found;
}

/** `a.b.c` of a select chain over an identifier, else undefined. */
function qualifiedName(expr: unknown): string | undefined {
  const kind = isRecord(expr) && isRecord(expr.exprKind) ? expr.exprKind : undefined;
  if (!kind || !isRecord(kind.value)) return undefined;
  if (kind.case === 'identExpr') return typeof kind.value.name === 'string' ? kind.value.name : undefined;
  if (kind.case === 'selectExpr' && !kind.value.testOnly && typeof kind.value.field === 'string') {
    const operand = qualifiedName(kind.value.operand);
    return operand === undefined ? undefined : `${operand}.${kind.value.field}`;
  }
  return undefined;
}

function stringConstant(expr: unknown): string | undefined {
  const kind = isRecord(expr) && isRecord(expr.exprKind) ? expr.exprKind : undefined;
  const constant = kind?.case === 'constExpr' && isRecord(kind.value) && isRecord(kind.value.constantKind) ? kind.value.constantKind : undefined;
  return constant?.case === 'stringValue' && typeof constant.value === 'string' ? constant.value : undefined;
}

function identName(expr: unknown): string | undefined {
  const kind = isRecord(expr) && isRecord(expr.exprKind) ? expr.exprKind : undefined;
  return kind?.case === 'identExpr' && isRecord(kind.value) && typeof kind.value.name === 'string' ? kind.value.name : undefined;
}

/** The expressions nested anywhere in a node (call arguments, list elements, map keys and values). */
function childExprs(node: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (isRecord(value)) {
      if ('exprKind' in value) out.push(value);
      else Object.values(value).forEach(walk);
    }
  };
  Object.values(node as Record<string, unknown>).forEach(walk);
  return out;
}

/**
 * A JSON value as CEL sees a Kubernetes object: integral numbers are `int` (bigint), other numbers
 * `double`, mappings `map` and arrays `list`; absent fields stay absent (reading one is an error).
 */
export function toCelValue(value: unknown): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (Array.isArray(value)) return value.map(toCelValue);
  if (isRecord(value)) {
    // A plain map, as the API server converts the request: nothing un-escapes `__x__` names (that
    // belongs to CRD validation rules), so `s.__namespace__` finds no key, as on the server.
    const map = new Map<string, CelInput>();
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) map.set(k, toCelValue(v));
    }
    return map;
  }
  return null;
}

/** The CEL type name of a result, for messages. */
export function celTypeName(value: CelValue): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (isCelMap(value)) return 'map';
  if (isCelList(value)) return 'list';
  return 'value';
}

/**
 * The `variables` map of one evaluation: each variable is evaluated when first read, then kept;
 * reading one whose evaluation failed fails the reading expression with that error.
 */
export class LazyVariables extends Map<string, CelInput> {
  private readonly outcomes = new Map<string, CelOutcome>();

  constructor(private readonly evaluators: ReadonlyMap<string, () => CelOutcome>) {
    super();
  }

  /** The outcome of a variable (evaluated at most once). */
  outcome(name: string): CelOutcome | undefined {
    const evaluate = this.evaluators.get(name);
    if (!evaluate) return undefined;
    let outcome = this.outcomes.get(name);
    if (!outcome) {
      outcome = evaluate();
      this.outcomes.set(name, outcome);
    }
    return outcome;
  }

  override get(name: string): CelInput | undefined {
    const outcome = this.outcome(name);
    if (!outcome) return undefined;
    if (!outcome.ok && outcome.notSimulated !== undefined) unsimulated(`variables.${name}: ${outcome.notSimulated}`);
    if (!outcome.ok) throw new Error(`variables.${name}: ${outcome.error}`);
    return outcome.value as CelInput;
  }

  override has(name: string): boolean {
    return this.evaluators.has(name);
  }
}
