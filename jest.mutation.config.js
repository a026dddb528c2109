/**
 * The unit tests only (no database): what `npm run test:mutation` (StrykerJS) runs against each
 * mutant of the pure core. See stryker.config.json and docs/reliability-mutation.md.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
};
