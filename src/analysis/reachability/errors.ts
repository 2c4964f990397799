/**
 * A problem with one field of an object. Parsers throw it with the field path; the model catches it
 * and re-throws a ManifestError that also names the file, document and object.
 */
export class FieldError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'FieldError';
  }
}
