// Four projects: `api` (npm test: API, jobs, migrations, unit), `e2e` (npm run test:e2e: browser) and
// `data` (npm run test:data: checks on the real MovieLens data in ../shared/data, which npm test never reads) and
// `cluster` (npm run test:cluster: nginx, two API processes, two workers, MariaDB primary + replica).
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
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/data/', '<rootDir>/test/cluster/'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
    },
    {
      ...common,
      displayName: 'data',
      testMatch: ['<rootDir>/test/data/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
    },
  ],
  testTimeout: 30000,
};
