/**
 * What `npm run test:mutation` (StrykerJS) runs against each mutant of the pure core: the unit
 * tests of the mutated files (no database). Tests of other code (the build script, the PDF and
 * QR drawing, the table readers) cannot kill a mutant of the core and would only slow each
 * static mutant, which runs every test. The policy-money property runs 1,000 cases here instead
 * of 10,000 (a mutant that breaks the arithmetic fails within the first few dozen).
 * See stryker.config.json and docs/reliability.md ("Mutation testing").
 */
process.env.POLICY_MONEY_CASES ??= '1000';
// The audit sample's properties (issue 24): fewer cases and seeds for the frequency table.
process.env.AUDIT_SAMPLE_CASES ??= '100';
process.env.AUDIT_SAMPLE_SEEDS ??= '1000';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: [
    '<rootDir>/src/modules/contracts/machine/*.spec.ts',
    '<rootDir>/src/common/values/*.spec.ts',
    '<rootDir>/src/modules/auth/disclosure-policy.spec.ts',
    '<rootDir>/src/modules/field-work/resident-id.spec.ts',
    '<rootDir>/src/modules/field-work/register-row-check.spec.ts',
  ],
};
