import { ValidationError, validate, IsString, Length, IsIn } from 'class-validator';
import { render } from '../i18n/message';
import { toFieldErrors } from './validation.pipe';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

const inLanguage = (errors: ValidationError[], language: 'zh' | 'en') =>
  toFieldErrors(errors).map(({ field, message }) => ({
    field,
    message: render(message, language),
  }));

class Sample {
  @Length(1, 40)
  code!: string;

  @IsIn(['a', 'b'])
  kind!: string;

  @IsString()
  name!: unknown;
}

describe('toFieldErrors', () => {
  it('flattens nested and array errors into dotted paths', () => {
    const errors = [
      error('name', { isString: 'name must be a string' }),
      error('tasks', undefined, [
        error('0', undefined, [
          error('plannedAreaMu', { isInt: 'plannedAreaMu must be an integer' }),
        ]),
      ]),
    ];
    expect(inLanguage(errors, 'en')).toEqual([
      { field: 'name', message: 'name must be a string' },
      { field: 'tasks[0].plannedAreaMu', message: 'tasks[0].plannedAreaMu must be an integer' },
    ]);
    expect(inLanguage(errors, 'zh')).toEqual([
      { field: 'name', message: 'name 必须是字符串' },
      { field: 'tasks[0].plannedAreaMu', message: 'tasks[0].plannedAreaMu 必须是整数' },
    ]);
  });

  it('words a constraint from the catalogue with the decorator’s own arguments', async () => {
    const sample = Object.assign(new Sample(), { code: '', kind: 'c', name: 3 });
    const errors = await validate(sample);
    expect(inLanguage(errors, 'zh')).toEqual([
      { field: 'code', message: 'code 长度须在 1 到 40 个字符之间' },
      { field: 'kind', message: 'kind 必须是以下值之一：a, b' },
      { field: 'name', message: 'name 必须是字符串' },
    ]);
    expect(inLanguage(errors, 'en')).toEqual([
      { field: 'code', message: 'code must be 1 to 40 characters long' },
      { field: 'kind', message: 'kind must be one of the following values: a, b' },
      { field: 'name', message: 'name must be a string' },
    ]);
  });

  it('keeps class-validator’s words for a constraint the catalogue does not know', () => {
    expect(inLanguage([error('x', { isFoo: 'x must be foo' })], 'en')).toEqual([
      { field: 'x', message: 'x must be foo' },
    ]);
  });
});
