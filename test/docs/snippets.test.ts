// Every TypeScript snippet of the README and docs/ compiles against the library, imported by its
// package name as a user's app imports it. A snippet with imports of its own is a whole file; any
// other is a fragment, compiled after a preamble that imports every export of the library, cdk8s and
// cdk8s-plus (`kplus`) and declares `app` and `chart`. A fragment that uses more (a bundle, a
// workload) declares it in a comment on the line before its fence, which renders as nothing:
//   <!-- snippet: declare const tenant: TenantNamespace; -->
// All snippets are type-checked in memory by one Program.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { CodeBlock, codeBlocks, documentationFiles, ROOT } from './markdown';

const FIXTURE = /^<!-- snippet: (.*) -->$/;

/** The names `src/index.ts` exports, read from the sources without type-checking them. */
function libraryExports(): string[] {
  const names = new Set<string>();
  const read = (file: string) => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const index = read(path.join(ROOT, 'src', 'index.ts'));
  for (const statement of index.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly || !statement.moduleSpecifier) continue;
    if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      statement.exportClause.elements.forEach(e => names.add(e.name.text));
      continue;
    }
    const module = read(path.join(ROOT, 'src', `${(statement.moduleSpecifier as ts.StringLiteral).text}.ts`));
    for (const s of module.statements) {
      if (!ts.canHaveModifiers(s) || !ts.getModifiers(s)?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      if (ts.isVariableStatement(s)) {
        s.declarationList.declarations.forEach(d => ts.isIdentifier(d.name) && names.add(d.name.text));
      } else if ((ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isEnumDeclaration(s) || ts.isFunctionDeclaration(s)
        || ts.isTypeAliasDeclaration(s)) && s.name) {
        names.add(s.name.text);
      }
    }
  }
  return [...names].sort();
}

interface Snippet {
  readonly block: CodeBlock;
  /** Where the snippet is compiled (a file that exists only in memory). */
  readonly fileName: string;
  readonly text: string;
  /** Lines before the snippet's first line. */
  readonly preambleLines: number;
}

function snippetsOf(blocks: CodeBlock[], names: string[]): Snippet[] {
  return blocks.map(block => {
    const fixture = FIXTURE.exec(block.intro)?.[1];
    const whole = /^import /m.test(block.code);
    const preamble = whole ? [] : [
      "import { ApiObject, App, Chart } from 'cdk8s';",
      "import * as kplus from 'cdk8s-plus-27';",
      `import { ${names.join(', ')} } from 'cdk8s-namespace-guard';`,
      'declare const app: App;',
      'declare const chart: Chart;',
      'export {};',
    ];
    if (fixture !== undefined) preamble.push(fixture);
    const fileName = path.join(ROOT, 'test', 'docs', 'snippets', `${block.file.replace(/[\\/]/g, '-')}-L${block.line}.ts`);
    return { block, fileName, text: [...preamble, block.code].join('\n'), preambleLines: preamble.length };
  });
}

/** The compiler options of the tests (strict, `cdk8s-namespace-guard` mapped to src/), for snippets. */
function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'test', 'tsconfig.json');
  const config = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configFile));
  // A snippet shows a use, not a whole program: it may leave a value unused.
  return { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, isolatedModules: false };
}

/** Each diagnostic as `file:line: message`, at the line of the Markdown file it comes from. */
function diagnosticsOf(snippets: Snippet[]): string[] {
  const options = compilerOptions();
  const byName = new Map(snippets.map(s => [s.fileName, s]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const snippet = byName.get(path.resolve(fileName));
    return snippet ? ts.createSourceFile(fileName, snippet.text, languageVersion, true) : getSourceFile(fileName, languageVersion, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = fileName => byName.has(path.resolve(fileName)) || fileExists(fileName);
  const program = ts.createProgram([...byName.keys()], options, host);
  const problems: string[] = [];
  for (const snippet of snippets) {
    const source = program.getSourceFile(snippet.fileName)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line;
      const where = line < snippet.preambleLines
        ? `${snippet.block.file}:${snippet.block.line - 1} (the snippet's fixture or preamble)`
        : `${snippet.block.file}:${snippet.block.line + line - snippet.preambleLines}`;
      problems.push(`${where}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return problems;
}

const libraryNames = libraryExports();
const blocks = documentationFiles().flatMap(codeBlocks).filter(b => b.language === 'ts' || b.language === 'typescript');
// A snippet that must fail, compiled with the others: it proves that failures are found and placed.
const broken: CodeBlock = { file: 'docs/broken.md', language: 'ts', line: 10, code: 'const n: number = 1;\nPort.tcp(n, n);\n', intro: '', headings: [] };
let problems: string[] = [];

beforeAll(() => {
  problems = diagnosticsOf(snippetsOf([...blocks, broken], libraryNames));
}, 120_000);

test('the snippets are found: the README\'s and those of at least two guides', () => {
  expect(blocks.filter(b => b.file === 'README.md').length).toBeGreaterThanOrEqual(4);
  expect(new Set(blocks.filter(b => b.file !== 'README.md').map(b => b.file)).size).toBeGreaterThanOrEqual(2);
  // The preamble names the library's API; an empty list would make every fragment fail for the wrong reason.
  expect(libraryNames).toEqual(expect.arrayContaining(['TenantNamespace', 'Port', 'PodHardening', 'Enforcement', 'QuotaValues']));
});

test('every TypeScript snippet of README.md and docs/*.md compiles', () => {
  expect(problems.filter(p => !p.startsWith(`${broken.file}:`))).toEqual([]);
});

test('a snippet that does not compile is reported at its file and line', () => {
  expect(problems.filter(p => p.startsWith(`${broken.file}:`))).toEqual(['docs/broken.md:11: TS2554: Expected 1 arguments, but got 2.']);
});
