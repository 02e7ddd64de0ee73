// The password rule, with no dependencies (config.ts and the CLI read it before anything else loads).
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Why a chosen password is not acceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  return null;
}
