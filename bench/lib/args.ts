// Command-line flags of the benchmarks: `--name N` or `--name=N`, whole numbers with a minimum,
// plus optional list flags (`--only a,b`). Unknown flags, bad values and `--help` print the usage
// line and exit (2, or 0 for help).

export interface FlagSpec<A> {
  usage: string;
  defaults: A;
  /** Smallest value per numeric flag (default 1). */
  min?: Partial<Record<keyof A, number>>;
  /** List flags: the values each may take. */
  lists?: Partial<Record<keyof A, readonly string[]>>;
}

export function parseFlags<A extends { [K in keyof A]: number | string[] }>(argv: readonly string[], spec: FlagSpec<A>): A {
  const args = { ...spec.defaults } as Record<string, number | string[]>;
  const fail = (message: string): never => {
    console.error(`${message}\n${spec.usage}`);
    process.exit(2);
  };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--help' || a === '-h') {
      console.log(spec.usage);
      process.exit(0);
    }
    const [flag, inline] = a.includes('=') ? (a.split('=', 2) as [string, string]) : [a, undefined];
    const key = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !(key in args)) fail(`unknown argument ${a}`);
    const allowed = spec.lists?.[key as keyof A];
    if (allowed) {
      const list = (inline ?? argv[++k] ?? '').split(',').filter(Boolean);
      if (!list.length || !list.every((x) => allowed.includes(x))) fail(`--${key} takes ${allowed.join(' and/or ')}`);
      args[key] = list;
      continue;
    }
    const value = Number(inline ?? argv[++k]);
    const min = spec.min?.[key as keyof A] ?? 1;
    if (!Number.isInteger(value) || value < min) fail(`--${key} must be a whole number ≥ ${min}`);
    args[key] = value;
  }
  return args as A;
}
