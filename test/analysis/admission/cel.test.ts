import { CompiledExpression, toCelValue } from '../../../src/analysis/admission/cel';

describe('CEL over Kubernetes objects', () => {
  const evaluate = (text: string, object: unknown) => CompiledExpression.compile(text, new Set()).evaluate({ object: toCelValue(object) });

  test('a property named like a CEL reserved word is read by its name, as on the API server', () => {
    const subject = { kind: 'ServiceAccount', name: 'x', namespace: 'team-a' };
    expect(evaluate("has(object.namespace) && object.namespace == 'team-a'", subject)).toEqual({ ok: true, value: true });
    expect(evaluate("object['namespace'] == 'team-a'", subject)).toEqual({ ok: true, value: true });
    expect(evaluate('has(object.namespace)', { kind: 'Group', name: 'g' })).toEqual({ ok: true, value: false });
  });

  test('CRD-style escapes find no key: the server converts admission objects to plain maps', () => {
    const subject = { kind: 'ServiceAccount', name: 'x', namespace: 'team-a' };
    // has() of a missing key is false; reading it is an error, which failurePolicy then decides.
    expect(evaluate('has(object.__namespace__)', subject)).toEqual({ ok: true, value: false });
    expect(evaluate("object.__namespace__ == 'team-a'", subject)).toMatchObject({ ok: false });
    expect(evaluate('has(object.a__dot__b)', { 'a.b': 1 })).toEqual({ ok: true, value: false });
    expect(evaluate('size(object) == 2 && object.all(k, k in ["a.b", "x-y/z"])', { 'a.b': 1, 'x-y/z': 2 })).toEqual({ ok: true, value: true });
  });

  test('integral numbers are ints and a missing field is a runtime error', () => {
    expect(evaluate('object.replicas <= 5', { replicas: 3 })).toEqual({ ok: true, value: true });
    expect(evaluate('object.missing == 1', {})).toMatchObject({ ok: false });
  });
});

describe('a hostile expression', () => {
  test('an expression built to run for ever is stopped at the budget and is an evaluation error', () => {
    const hundred = `[${Array.from({ length: 100 }, (_, i) => i).join(',')}]`;
    const bomb = `${hundred}.all(a, ${hundred}.all(b, ${hundred}.all(c, ${hundred}.all(d, ${hundred}.all(e, a + b + c + d + e >= 0)))))`;
    const started = Date.now();
    const outcome = CompiledExpression.compile(bomb, new Set()).evaluate({});
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/evaluation exceeded 2000 ms/) });
    expect(Date.now() - started).toBeLessThan(10_000);
    // The evaluator still works afterwards.
    expect(CompiledExpression.compile('1 + 1 == 2', new Set()).evaluate({})).toEqual({ ok: true, value: true });
  });
});
