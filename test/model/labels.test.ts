import { LabelSelector, parseLabels, parseStringMap, UNNAMED_LABEL_VALUE } from '../../src/model/labels';
import { FieldError } from '../../src/model/manifests';

const sel = (raw: unknown) => LabelSelector.parse(raw, 'spec.podSelector');
const expr = (key: string, operator: string, values?: string[]) => sel({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

describe('LabelSelector', () => {
  const web = { app: 'web', tier: 'front' };
  const db = { app: 'db' };
  const none = {};

  test('the empty selector matches everything, including objects without labels', () => {
    for (const s of [sel({}), sel({ matchLabels: {} }), sel({ matchExpressions: [] }), LabelSelector.EVERYTHING]) {
      expect(s.matchesEverything).toBe(true);
      expect([web, db, none].map((l) => s.matches(l))).toEqual([true, true, true]);
    }
  });

  test('matchLabels requires every pair', () => {
    const s = sel({ matchLabels: { app: 'web', tier: 'front' } });
    expect([s.matches(web), s.matches({ app: 'web' }), s.matches(db)]).toEqual([true, false, false]);
  });

  test('In requires the key with one of the values', () => {
    const s = expr('app', 'In', ['web', 'api']);
    expect([s.matches(web), s.matches(db), s.matches(none)]).toEqual([true, false, false]);
  });

  test('NotIn matches a different value and an absent key', () => {
    const s = expr('app', 'NotIn', ['db']);
    expect([s.matches(web), s.matches(db), s.matches(none)]).toEqual([true, false, true]);
  });

  test('Exists and DoesNotExist look only at the key', () => {
    expect([web, db, none].map((l) => expr('tier', 'Exists').matches(l))).toEqual([true, false, false]);
    expect([web, db, none].map((l) => expr('tier', 'DoesNotExist').matches(l))).toEqual([false, true, true]);
  });

  test('matchLabels and matchExpressions are ANDed', () => {
    const s = sel({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] });
    expect([s.matches(web), s.matches({ app: 'web', tier: 'back' }), s.matches(db)]).toEqual([true, false, false]);
  });

  test('equivalent selectors share a key; different ones do not', () => {
    expect(sel({ matchLabels: { a: '1', b: '2' } }).key).toBe(sel({ matchLabels: { b: '2', a: '1' } }).key);
    expect(sel({ matchLabels: { a: '1' } }).key).toBe(expr('a', 'In', ['1']).key);
    expect(expr('a', 'In', ['1', '2']).key).toBe(expr('a', 'In', ['2', '1']).key);
    expect(sel({}).key).not.toBe(expr('a', 'Exists').key);
    expect(sel({}).toString()).toBe('{}');
  });

  test('splitNotIn: an object matches iff it matches the rest and carries none of the excluded pairs', () => {
    const s = sel({ matchLabels: { tier: 'app' }, matchExpressions: [{ key: 'tenant', operator: 'Exists' }, { key: 'tenant', operator: 'NotIn', values: ['a', 'b'] }] });
    const { rest, excluded } = s.splitNotIn();
    expect(excluded).toEqual([['tenant', 'a'], ['tenant', 'b']]);
    const maps: Array<Record<string, string>> = [{}, { tier: 'app' }, { tier: 'app', tenant: 'a' }, { tier: 'app', tenant: 'c' }, { tenant: 'c' }, { tier: 'db', tenant: 'b' }];
    for (const labels of maps) {
      const split = rest.matches(labels) && !excluded.some(([k, v]) => labels[k] === v);
      expect([labels, split]).toEqual([labels, s.matches(labels)]);
    }
    const plain = sel({ matchLabels: { tier: 'app' } });
    expect(plain.splitNotIn()).toEqual({ rest: plain, excluded: [] });
  });

  test('label values that YAML parsed as numbers are compared as text', () => {
    const s = sel({ matchLabels: { version: 2 } });
    expect(s.matches({ version: '2' })).toBe(true);
    expect(parseStringMap({ a: 1, c: null }, 'metadata.labels')).toEqual({ a: '1', c: '' });
  });

  test('a boolean label value is an error asking for quotes: kubectl reads yes, no, on, off as booleans too, so the text is lost', () => {
    expect(() => parseStringMap({ enabled: true }, 'metadata.labels')).toThrow(FieldError);
    expect(() => parseStringMap({ enabled: false }, 'metadata.labels'))
      .toThrow('metadata.labels.enabled: must be a string, not the boolean false: YAML reads unquoted true, false, yes, no, on and off as booleans, '
        + 'which the API server rejects here; quote the value');
    expect(() => sel({ matchLabels: { enabled: true } })).toThrow('spec.podSelector.matchLabels.enabled: must be a string, not the boolean true');
  });

  test.each([
    [{ matchExpressions: [{ key: 'a', operator: 'Matches', values: ['x'] }] }, 'spec.podSelector.matchExpressions[0].operator: unknown operator "Matches"'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, 'spec.podSelector.matchExpressions[0].values: must be non-empty for operator In'],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn' }] }, 'spec.podSelector.matchExpressions[0].values: must be non-empty for operator NotIn'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'spec.podSelector.matchExpressions[0].values: must be empty for operator Exists'],
    [{ matchExpressions: [{ operator: 'Exists' }] }, 'spec.podSelector.matchExpressions[0].key: must be a non-empty string'],
    [{ matchExpressions: {} }, 'spec.podSelector.matchExpressions: must be a list'],
    [{ matchLabels: ['a'] }, 'spec.podSelector.matchLabels: must be a mapping of strings'],
    [{ matchLabels: { a: { nested: true } } }, 'spec.podSelector.matchLabels.a: must be a string'],
    ['app=web', 'spec.podSelector: must be a label selector mapping'],
    [{ matchLabels: { app: 'a b' } }, 'spec.podSelector.matchLabels.app: label value "a b" is invalid: it must consist of'],
    [{ matchLabels: { app: 'x'.repeat(64) } }, 'spec.podSelector.matchLabels.app: label value'],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['ok', '-bad'] }] }, 'spec.podSelector.matchExpressions[0].values[1]: label value "-bad"'],
    [{ matchExpressions: [{ key: 'a/b/c', operator: 'Exists' }] }, 'spec.podSelector.matchExpressions[0].key: label key "a/b/c" is invalid: its prefix "a/b" is not a DNS subdomain'],
    [{ matchExpressions: [{ key: 'Example.com/a', operator: 'Exists' }] }, 'label key "Example.com/a" is invalid: its prefix'],
  ])('rejects invalid selector %j', (raw, message) => {
    expect(() => sel(raw)).toThrow(FieldError);
    expect(() => sel(raw)).toThrow(message);
  });
});

describe('label keys and values, as the API server validates them', () => {
  test.each([
    [{ 'app.kubernetes.io/name': 'web', 'a': '', 'b': 'A-b_c.9', 'k8s.io/x_y': 'z' }],
    [{ ['x'.repeat(63)]: 'y'.repeat(63), [`${'p'.repeat(253)}/n`]: '1' }],
  ])('accepts %j', (labels) => {
    expect(parseLabels(labels, 'metadata.labels')).toEqual(labels);
    expect(LabelSelector.parse({ matchLabels: labels }, 'sel').matches(labels)).toBe(true);
  });

  test.each([
    [{ x: 'y'.repeat(64) }, 'metadata.labels.x: label value'],
    [{ ['x'.repeat(64)]: 'y' }, 'is invalid: its name part'],
    [{ [`${'p'.repeat(254)}/n`]: 'y' }, 'is invalid: its prefix'],
    [{ '/n': 'y' }, 'is invalid: its prefix'],
    [{ 'a_b.io/n': 'y' }, 'is invalid: its prefix'],
    [{ 'n.': 'y' }, 'is invalid: its name part'],
    [{ x: 'y.' }, 'label value "y." is invalid'],
  ])('rejects %j', (labels, message) => {
    expect(() => parseLabels(labels, 'metadata.labels')).toThrow(FieldError);
    expect(() => parseLabels(labels, 'metadata.labels')).toThrow(message);
  });

  test('the value the analyses give a label no selector names is one no label or selector can carry', () => {
    expect(() => parseLabels({ app: UNNAMED_LABEL_VALUE }, 'metadata.labels')).toThrow('the API server rejects it');
    expect(() => LabelSelector.parse({ matchExpressions: [{ key: 'app', operator: 'In', values: [UNNAMED_LABEL_VALUE] }] }, 'sel')).toThrow('the API server rejects it');
    expect(LabelSelector.parse({ matchExpressions: [{ key: 'app', operator: 'Exists' }, { key: 'app', operator: 'NotIn', values: ['a'] }] }, 'sel').example())
      .toEqual({ app: UNNAMED_LABEL_VALUE });
  });
});
