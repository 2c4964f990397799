// The house rules of src/ (docs/architecture.md draws them): no import circle, `import type`
// included; every folder imports only the layers below it; the layers that run on any YAML never
// import cdk8s or constructs; src/index.ts exports the jsii API and nothing else.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');

/** What each folder of src/ may import (besides itself), lowest layer first. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  private: [],
  model: ['private'],
  analysis: ['model', 'private'],
  rules: ['analysis', 'model', 'private'],
  cli: ['rules', 'analysis', 'model', 'private'],
  network: ['model', 'private'],
  cluster: ['network', 'model', 'private'],
  guard: ['rules', 'analysis', 'model', 'private'],
  bundles: ['guard', 'cluster', 'network', 'model', 'private'],
  reports: ['guard', 'cluster', 'network', 'analysis', 'model', 'private'],
  guardrails: ['bundles', 'guard', 'cluster', 'network', 'model', 'private'],
  workloads: ['guard', 'model', 'private'],
  plugin: ['cli', 'rules', 'analysis', 'model', 'private'],
};

/** Layers that must run without cdk8s: on any YAML, in the CLI. */
const PURE_LAYERS = ['private', 'model', 'analysis', 'rules', 'cli', 'plugin'];
const CONSTRUCT_PACKAGES = ['cdk8s', 'cdk8s-plus-27', 'constructs'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier of a file: imports, `import type`, re-exports, dynamic imports and requires. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${path.relative(SRC, from)} imports ${specifier}, which does not resolve`);
}

/** The top folder of a file under src/ ('index.ts' for the entry point). */
function layerOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep);
  return relative.length === 1 ? relative[0] : relative[0];
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>(files.map(f => [f, specifiers(f).filter(s => s.startsWith('.')).map(s => resolveLocal(f, s))]));
const packages = new Map<string, string[]>(files.map(f => [f, specifiers(f).filter(s => !s.startsWith('.'))]));
const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function circles(): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) connect(f);
  return found;
}

describe('the layers of src/', () => {
  test('every folder is a known layer', () => {
    const folders = new Set(files.map(layerOf).filter(l => l !== 'index.ts'));
    expect([...folders].sort()).toEqual(Object.keys(LAYERS).sort());
  });

  test('no import circle, import type included', () => {
    expect(circles()).toEqual([]);
  });

  test('no file imports a layer above its own', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const layer = layerOf(file);
      if (layer === 'index.ts') continue;
      for (const target of targets) {
        const to = layerOf(target);
        if (to !== layer && !LAYERS[layer].includes(to)) wrong.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('the layers that run on any YAML import neither cdk8s nor constructs', () => {
    const wrong: string[] = [];
    for (const [file, names] of packages) {
      if (!PURE_LAYERS.includes(layerOf(file))) continue;
      for (const name of names) if (CONSTRUCT_PACKAGES.includes(name)) wrong.push(`${rel(file)} imports ${name}`);
    }
    expect(wrong).toEqual([]);
  });

  test('the graph is real: every layer but the bottom one imports, and index.ts or the command line reaches every file', () => {
    // Guards against a vacuous pass (a resolver that finds no imports would pass every rule above).
    const layersWithEdges = new Set([...graph.entries()].filter(([, t]) => t.length > 0).map(([f]) => layerOf(f)));
    for (const layer of Object.keys(LAYERS).filter(l => l !== 'private')) expect(layersWithEdges).toContain(layer);
    const fromIndex = new Set<string>();
    const walkFrom = (f: string) => {
      if (fromIndex.has(f)) return;
      fromIndex.add(f);
      for (const t of graph.get(f) ?? []) walkFrom(t);
    };
    walkFrom(path.join(SRC, 'index.ts'));
    // The command line is the other entry point (bin/namespace-guard): what only it uses, such as the
    // admission simulator, is reached from there. Every file is reached from one of the two.
    walkFrom(path.join(SRC, 'cli', 'main.ts'));
    expect(files.filter(f => !fromIndex.has(f)).map(rel)).toEqual([]);
  });
});

describe('the public API', () => {
  const program = ts.createProgram([path.join(SRC, 'index.ts')], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, strict: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(path.join(SRC, 'index.ts'))!)!;
  const exported = checker.getExportsOfModule(entry).map(s => ((s.declarations ?? []).some(ts.isExportSpecifier) ? checker.getAliasedSymbol(s) : s));

  test('src/index.ts exports classes, interfaces and enums only (the jsii API), none internal', () => {
    const isApiType = (d: ts.Declaration) => ts.isClassDeclaration(d) || ts.isInterfaceDeclaration(d) || ts.isEnumDeclaration(d);
    const others = exported.filter(s => !(s.declarations ?? []).every(isApiType)).map(s => s.getName());
    expect(others).toEqual([]);
    expect(exported.filter(s => s.getName().startsWith('_')).map(s => s.getName())).toEqual([]);
    expect(exported.length).toBeGreaterThan(30);
  });

  test('the helpers that used to leak are internal', () => {
    const names = exported.map(s => s.getName());
    for (const helper of ['formatFinding', 'roleRules', 'renderPeerSelector', 'MIN_REASON_LENGTH', 'podSecurityLabels', 'guardError', 'DEFAULT_POD_SECURITY_VERSION']) {
      expect(names).not.toContain(helper);
    }
  });

  test('no @default names a constant that other languages cannot see', () => {
    const offenders: string[] = [];
    for (const file of files) {
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const match = /@default\s+(.*)$/.exec(line);
        if (match && /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/.test(match[1].replace(/\b[A-Z][a-zA-Z]*\.[A-Z_]+\b/g, ''))) {
          offenders.push(`${rel(file)}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(offenders).toEqual([]);
  });
});
