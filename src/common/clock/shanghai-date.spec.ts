import { shanghaiDate, shanghaiDateTime } from './shanghai-date';

describe('shanghaiDate', () => {
  it('turns an instant into the date in Asia/Shanghai (UTC+8)', () => {
    expect(shanghaiDate(new Date('2015-05-29T15:59:59Z'))).toBe('2015-05-29');
    expect(shanghaiDate(new Date('2015-05-29T16:00:00Z'))).toBe('2015-05-30');
  });

  it('writes date and time in Asia/Shanghai, the date following the local clock', () => {
    expect(shanghaiDateTime(new Date('2026-11-24T17:30:05Z'))).toBe('2026-11-25 01:30:05');
    expect(shanghaiDateTime(new Date('2015-05-30T02:00:00Z'))).toBe('2015-05-30 10:00:00');
  });
});
