import { CompiledExpression, toCelValue } from '../../../src/analysis/admission/cel';

describe('CEL over Kubernetes objects', () => {
  const evaluate = (text: string, object: unknown) => CompiledExpression.compile(text, new Set()).evaluate({ object: toCelValue(object) });

  test('a property named like a CEL reserved word is read through its escaped name', () => {
    const subject = { kind: 'ServiceAccount', name: 'x', namespace: 'team-a' };
    expect(evaluate("has(object.__namespace__) && object.__namespace__ == 'team-a'", subject)).toEqual({ ok: true, value: true });
    expect(evaluate('has(object.__namespace__)', { kind: 'Group', name: 'g' })).toEqual({ ok: true, value: false });
  });

  test('escaped dots, dashes and slashes resolve, while iteration sees only the real keys', () => {
    const object = { 'a.b': 1, 'x-y/z': 2 };
    expect(evaluate('object.a__dot__b == 1 && object.x__dash__y__slash__z == 2', object)).toEqual({ ok: true, value: true });
    expect(evaluate('size(object) == 2 && object.all(k, k in ["a.b", "x-y/z"])', object)).toEqual({ ok: true, value: true });
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
