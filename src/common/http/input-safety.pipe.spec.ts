import { render } from '../i18n/message';
import { performance } from 'node:perf_hooks';
import { MAX_INPUT_VALUES, unsafeInput } from './input-safety.pipe';

describe('unsafeInput', () => {
  it('stops at MAX_INPUT_VALUES values: a 500,000-value array is refused without a walk', () => {
    const values = Array<number>(500_000).fill(1);
    const started = performance.now();
    expect(unsafeInput(values, '')).toEqual({
      field: '',
      message: { key: 'validation.tooManyValues', params: { max: MAX_INPUT_VALUES } },
    });
    const ms = performance.now() - started;
    console.log(`input walk of a 500,000-value array: refused in ${ms.toFixed(2)} ms`);
    expect(ms).toBeLessThan(100); // liveness only; it was 478 ms before the bound
  });

  it('counts nested values too', () => {
    const nested = Array.from({ length: 200 }, () => ({ rows: Array<number>(100).fill(1) }));
    expect(render(unsafeInput({ items: nested }, '')!.message, 'en')).toMatch(
      /more than 20000 values/,
    );
    const wide = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i]));
    expect(render(unsafeInput(wide, '')!.message, 'en')).toMatch(/more than 20000 values/);
  });

  it('lets a body of real size through', () => {
    const batch = { payoutIds: Array.from({ length: 5_000 }, (_, i) => `id-${i}`) };
    expect(unsafeInput(batch, '')).toBeUndefined();
    expect(unsafeInput(Array<number>(MAX_INPUT_VALUES - 1).fill(1), '')).toBeUndefined();
  });

  it('still finds a NUL, a prototype key and deep nesting', () => {
    expect(unsafeInput({ a: ['x\u0000'] }, '')?.field).toBe('a[0]');
    expect(unsafeInput(JSON.parse('{"__proto__": {}}'), '')?.field).toBe('__proto__');
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    expect(render(unsafeInput(deep, '')!.message, 'en')).toMatch(/deeper than 32/);
  });
});
