// Reads the fenced code blocks of the documentation, so that tests can compile and run what the
// README and docs/ show instead of a copy that drifts from them.
import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** The info string's first word (`ts`, `sh`, ...), or '' for a bare fence. */
  readonly language: string;
  /** Line number (1-based) of the block's first code line. */
  readonly line: number;
  /** The code, without the fences. */
  readonly code: string;
  /** The last non-blank line of text before the opening fence. */
  readonly intro: string;
  /** The headings the block is under, outermost first (`## Usage`, `### Connections`). */
  readonly headings: string[];
}

/** The documentation files whose code blocks the tests read. */
export function documentationFiles(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => path.join('docs', f));
  return ['README.md', ...docs];
}

/** Every fenced code block of a Markdown file (path relative to the repository root). */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  const headings: string[] = [];
  let intro = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#{1,6}) /.exec(lines[i]);
    if (heading) {
      headings.splice(heading[1].length - 1);
      headings[heading[1].length - 1] = lines[i];
      continue;
    }
    const fence = /^(`{3,})(.*)$/.exec(lines[i]);
    if (!fence) {
      if (lines[i].trim() !== '') intro = lines[i].trim();
      continue;
    }
    const close = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]) && l.trim() === fence[1]);
    if (close < 0) throw new Error(`${file}:${i + 1}: code block is never closed`);
    blocks.push({
      file,
      language: fence[2].trim().split(/\s+/)[0] ?? '',
      line: i + 2,
      code: lines.slice(i + 1, close).join('\n') + '\n',
      intro,
      headings: headings.filter(h => h !== undefined),
    });
    intro = '';
    i = close;
  }
  return blocks;
}

/** The blocks under the heading `heading` (exactly as written, `## Use it in your project`). */
export function blocksUnder(file: string, heading: string): CodeBlock[] {
  const blocks = codeBlocks(file).filter(b => b.headings.includes(heading));
  if (blocks.length === 0) throw new Error(`${file} has no code block under "${heading}"`);
  return blocks;
}

/**
 * The files a section shows, by the name its introducing line ends with: "`main.ts`:" before a
 * block makes the block the file main.ts.
 */
export function filesUnder(file: string, heading: string): Map<string, CodeBlock> {
  const files = new Map<string, CodeBlock>();
  for (const block of blocksUnder(file, heading)) {
    const name = /`([^`\s]+)`:$/.exec(block.intro)?.[1];
    if (name !== undefined) files.set(name, block);
  }
  return files;
}
