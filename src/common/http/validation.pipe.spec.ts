import { ValidationError } from 'class-validator';
import { toFieldErrors } from './validation.pipe';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('toFieldErrors', () => {
  it('flattens nested and array errors into dotted paths', () => {
    const errors = [
      error('name', { isString: 'name must be a string' }),
      error('tasks', undefined, [
        error('0', undefined, [error('plannedAreaMu', { min: 'plannedAreaMu must be positive' })]),
      ]),
    ];
    expect(toFieldErrors(errors)).toEqual([
      { field: 'name', message: 'name must be a string' },
      { field: 'tasks[0].plannedAreaMu', message: 'plannedAreaMu must be positive' },
    ]);
  });
});
