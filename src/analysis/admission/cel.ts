// CEL as the API server runs it for admission policies: compiled once, with the strings extension
// and the standard macros, over JSON values converted the way Kubernetes types them (integral
// numbers are ints, mappings are maps). Without a type checker, names are checked on the syntax tree.
import * as vm from 'vm';
import { celEnv, CelInput, CelValue, isCelError, isCelList, isCelMap, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { isRecord } from '../../private/json';

/** The variables every admission expression may read. */
export const ADMISSION_VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables', 'authorizer'] as const;

/** Type names usable as values (`type(x) == int`). */
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn']);

/** The offline stand-in for the authorization check the API server would make. */
export const AUTHORIZER_UNAVAILABLE = 'authorizer is not available offline';

const ENV = celEnv({ funcs: strings });

export type CelOutcome = { readonly ok: true; readonly value: CelValue } | { readonly ok: false; readonly error: string };

type Program = ReturnType<typeof plan>;

/** A CEL expression that could not be compiled. */
export class CelCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CelCompileError';
  }
}

/** An expression compiled once and evaluated for every request. */
export class CompiledExpression {
  /**
   * Parses and plans `text`. `variableNames` are the `variables.<name>` it may read (for a
   * variable: those declared before it). Throws a CelCompileError for a syntax error or a name
   * no admission expression can have.
   */
  static compile(text: string, variableNames: ReadonlySet<string>): CompiledExpression {
    const { program, names } = planned(text);
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
    return new CompiledExpression(text, program, names.roots.has('authorizer'));
  }

  private constructor(readonly text: string, private readonly program: Program, readonly usesAuthorizer: boolean) {}

  /** Evaluates with the given bindings; a runtime error is an outcome, never an exception. */
  evaluate(bindings: Readonly<Record<string, CelInput>>): CelOutcome {
    if (this.usesAuthorizer) return { ok: false, error: AUTHORIZER_UNAVAILABLE };
    try {
      const value = withinBudget(() => this.program(bindings as Record<string, CelInput>));
      return isCelError(value) ? { ok: false, error: value.message } : { ok: true, value };
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        return { ok: false, error: `evaluation exceeded ${EVALUATION_BUDGET_MS} ms (the API server stops an expression that exceeds its cost limit)` };
      }
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
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

/** Planned programs by expression text: bundles repeat the same expressions in many policies. */
const PLANNED = new Map<string, { readonly program: Program; readonly names: ReferencedNames }>();

function planned(text: string): { readonly program: Program; readonly names: ReferencedNames } {
  let found = PLANNED.get(text);
  if (!found) {
    try {
      const parsed = parse(text);
      found = { program: plan(ENV, parsed), names: referencedNames(parsed.expr) };
    } catch (e) {
      throw new CelCompileError((e as Error).message);
    }
    PLANNED.set(text, found);
  }
  return found;
}

interface ReferencedNames {
  /** Free identifiers (not bound by a macro). */
  readonly roots: Set<string>;
  /** Fields selected from `variables`. */
  readonly variables: Set<string>;
}

/** The free identifiers of a syntax tree, and the `variables.<name>` it selects. */
function referencedNames(root: unknown): ReferencedNames {
  const found: ReferencedNames = { roots: new Set(), variables: new Set() };
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
    for (const child of childExprs(node)) visit(child, bound);
  };
  visit(root, new Set());
  return found;
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
    if (!outcome.ok) throw new Error(`variables.${name}: ${outcome.error}`);
    return outcome.value as CelInput;
  }

  override has(name: string): boolean {
    return this.evaluators.has(name);
  }
}
