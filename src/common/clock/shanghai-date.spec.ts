import { shanghaiDate } from './shanghai-date';

describe('shanghaiDate', () => {
  it('turns an instant into the date in Asia/Shanghai (UTC+8)', () => {
    expect(shanghaiDate(new Date('2015-05-29T15:59:59Z'))).toBe('2015-05-29');
    expect(shanghaiDate(new Date('2015-05-29T16:00:00Z'))).toBe('2015-05-30');
  });
});
