import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level, so key order never changes the text', () => {
    const a = canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } });
    const b = canonicalJson({ a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('writes dates as ISO instants, drops undefined members and keeps null', () => {
    expect(
      canonicalJson({ at: new Date('2015-05-30T01:02:03.004Z'), gone: undefined, none: null }),
    ).toBe('{"at":"2015-05-30T01:02:03.004Z","none":null}');
  });

  it('keeps Chinese text as it is', () => {
    expect(canonicalJson({ name: '王各村' })).toBe('{"name":"王各村"}');
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});
