// Rows in batches: multi-row INSERTs and IN (...) lists stay within the drivers' parameter limits.
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
