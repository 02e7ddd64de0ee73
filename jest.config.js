// Three projects: `api` (npm test: API, jobs, migrations, unit — everything the repository holds),
// `data` (npm run test:data: suites on the big external data of SHARED_DATA_DIR) and `e2e`
// (npm run test:e2e: browser).
// TypeScript is compiled by SWC; the code is ESM (AdminJS 7 is ESM-only), so jest runs with
// --experimental-vm-modules (see package.json scripts).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true, decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: false, useDefineForClassFields: false, react: { runtime: 'classic' } },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  transformIgnorePatterns: ['/node_modules/'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...common,
      displayName: 'api',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/data/'],
    },
    {
      ...common,
      displayName: 'data',
      testMatch: ['<rootDir>/test/data/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
    },
  ],
  testTimeout: 30000,
};
