import { IConstruct } from 'constructs';

/**
 * Builds the error thrown for bad input: it names the construct path, what is wrong and how to
 * fix it, so a user never has to read a stack trace from inside the library.
 *
 * @internal
 */
export function guardError(scope: IConstruct | string, problem: string, fix: string): Error {
  const path = typeof scope === 'string' ? scope : scope.node.path;
  return new Error(`[${path}] ${problem}. Fix: ${fix}`);
}
