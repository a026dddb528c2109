import { DomainError } from '../../common/errors/domain-error';
import { formInput, parseObjectionForm } from './objection-form';

function fieldsOf(body: Record<string, unknown>): string[] {
  try {
    parseObjectionForm(formInput(body));
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED')
      return (error.extra.errors ?? []).map((problem) => problem.field);
    throw error;
  }
  return [];
}

const valid = { name: '王大爷', phone: '13812345678', text: '面积不对' };

describe('the objection form', () => {
  it('takes a mobile number or a landline with its area code', () => {
    for (const phone of [
      '13812345678',
      '199 1234 5678',
      '0558-5123456',
      '05585123456',
      '010-12345678',
    ])
      expect(fieldsOf({ ...valid, phone })).toEqual([]);
    for (const phone of ['12812345678', '1381234567', '138123456789', '5123456', 'abc', '+86'])
      expect(fieldsOf({ ...valid, phone })).toEqual(['phone']);
  });

  it("keeps the JSON route's limits: name up to 100, text up to 2000 characters", () => {
    expect(fieldsOf({ ...valid, name: '王'.repeat(100), text: '字'.repeat(2000) })).toEqual([]);
    expect(fieldsOf({ ...valid, name: '王'.repeat(101), text: '字'.repeat(2001) })).toEqual([
      'name',
      'text',
    ]);
  });

  it('names every missing field at once, and ignores what is not a single string', () => {
    expect(fieldsOf({})).toEqual(['name', 'phone', 'text']);
    expect(fieldsOf({ name: ['a', 'b'], phone: '  ', text: { x: 1 } })).toEqual([
      'name',
      'phone',
      'text',
    ]);
  });

  it('takes an optional register row only as a UUID, and gives the JSON body', () => {
    expect(fieldsOf({ ...valid, registerRowId: 'row-1' })).toEqual(['registerRowId']);
    const id = '0F8FAD5B-D9CB-469F-A165-70867728950E';
    expect(
      parseObjectionForm(formInput({ ...valid, phone: '138 1234 5678', registerRowId: id })),
    ).toEqual({
      ...valid,
      registerRowId: id.toLowerCase(),
    });
    expect(parseObjectionForm(formInput({ ...valid, registerRowId: '' }))).toEqual(valid);
  });
});
