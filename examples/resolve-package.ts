// Lets `ts-node -P examples/tsconfig.json` run the examples, which import the library by its package
// name as a user's app does, from the sources: the `paths` entry of examples/tsconfig.json does the
// same for the type checker, but ts-node does not apply `paths` when it loads modules.
import { Module } from 'module';
import * as path from 'path';

const PACKAGE = 'cdk8s-namespace-guard';
const SOURCES = path.join(__dirname, '..', 'src', 'index.ts');

// Node's resolver hook, which @types/node does not declare.
const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return resolve.call(this, request === PACKAGE ? SOURCES : request, ...rest);
};
