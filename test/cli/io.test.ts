import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, loadInputs } from '../../src/cli/io';
import { InputNote } from '../../src/model/notes';
import { manifestErrorOf, NAMESPACE_YAML as NS } from '../helpers';

/** Loads with an io whose stdin is the process's (tests spy on fs for it). */
function load(files: string[]) {
  const io: CliIo = { stdout: () => undefined, stderr: () => undefined };
  return loadInputs(files, io);
}

describe('loadInputs', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('walks directories recursively, keeps *.yaml/*.yml/*.json, sorted by path', () => {
    fs.mkdirSync(path.join(dir, 'b-sub'));
    fs.mkdirSync(path.join(dir, 'a-sub', 'deeper'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'z.yaml'), NS('z'));
    fs.writeFileSync(path.join(dir, 'b-sub', 'b.yml'), NS('b'));
    fs.writeFileSync(path.join(dir, 'a-sub', 'deeper', 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
    fs.writeFileSync(path.join(dir, 'README.md'), '# docs');
    const manifests = load([dir]);
    expect(manifests.map((m) => m.object.metadata?.name)).toEqual(['a', 'b', 'z']);
    expect(manifests.map((m) => path.relative(dir, m.source))).toEqual([path.join('a-sub', 'deeper', 'a.json'), path.join('b-sub', 'b.yml'), 'z.yaml']);
  });

  test('reads explicitly named files whatever their extension, in the order given', () => {
    fs.writeFileSync(path.join(dir, 'second.txt'), NS('second'));
    fs.writeFileSync(path.join(dir, 'first.yaml'), NS('first'));
    const manifests = load([path.join(dir, 'second.txt'), path.join(dir, 'first.yaml')]);
    expect(manifests.map((m) => m.object.metadata?.name)).toEqual(['second', 'first']);
  });

  test('reads "-" from standard input', () => {
    // Spy on the real module object: the namespace import in this file is a read-only view of it.
    const realFs = jest.requireActual<typeof fs>('fs');
    const original = realFs.readFileSync;
    const spy = jest.spyOn(realFs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) =>
      file === 0 ? NS('from-stdin') : original(file, options as BufferEncoding)) as typeof fs.readFileSync);
    try {
      const manifests = load(['-']);
      expect(manifests.map((m) => [m.object.metadata?.name, m.source])).toEqual([['from-stdin', '<stdin>']]);
      expect(spy).toHaveBeenCalledWith(0, 'utf8');
    } finally {
      spy.mockRestore();
    }
  });

  test('errors name the file that failed', () => {
    fs.writeFileSync(path.join(dir, 'bad.yaml'), `${NS('ok')}---\nkind: [\n`);
    expect(manifestErrorOf(() => load([dir])).message).toMatch(/bad\.yaml document 2: invalid YAML/);
    expect(manifestErrorOf(() => load([path.join(dir, 'missing.yaml')])).message).toMatch(/missing\.yaml: cannot read/);
  });

  test('a symbolic link that loops back is skipped with a note, not an endless walk', () => {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'a.yaml'), NS('a'));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    const notes: InputNote[] = [];
    const manifests = loadInputs([dir], { stdout: () => undefined, stderr: () => undefined }, notes);
    expect(manifests.map((m) => m.object.metadata?.name)).toEqual(['a']);
    expect(notes).toEqual([{ code: 'skipped-link', message: `skipped ${path.join(dir, 'sub', 'loop')}: a symbolic link to a directory already read (a loop)` }]);
  });

  test('a FIFO is refused instead of blocking the read, named or found in a directory', () => {
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(manifestErrorOf(() => load([fifo])).message).toMatch(/pipe\.yaml: not a regular file/);
    expect(manifestErrorOf(() => load([dir])).message).toMatch(/pipe\.yaml: not a regular file/);
  });
});
