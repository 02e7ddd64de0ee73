// The account rules, once: the public API's bodies (sign-up, login, password change), the panel's
// users forms, the first-admin settings and `npm run admin:create` all use these.
import { z } from 'zod';
import { looseBool } from '../shared/validation.js';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from './password-rule.js';
import { ROLES } from './user.entity.js';

export { PASSWORD_MAX, PASSWORD_MIN, passwordProblem };

// Django's UnicodeUsernameValidator (the seed's backend): Unicode letters and digits and @ . + - _,
// at most 150 — then NFKC-normalised as Django's normalize_username does, and checked again ("홍길동"
// is accepted; a full-width "ｈｏｎｇ" is stored as "hong"). The constraints come first so OpenAPI shows them.
const USERNAME_RE = /^[\p{L}\p{N}_.@+-]+$/u;
export const usernameSchema = z
  .string()
  .trim()
  .min(1)
  .max(150)
  .regex(USERNAME_RE, 'i18n:invalidUsername')
  .transform((s) => s.normalize('NFKC'))
  .refine((s) => s.length <= 150 && USERNAME_RE.test(s), { message: 'i18n:invalidUsername' });

export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);
export const emailSchema = z.string().trim().max(254).pipe(z.email());

export const signupBody = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    email: emailSchema,
    get_agreement: looseBool.optional().default(false),
  })
  .openapi('SignupRequest');

/** An account as staff create it in the panel (any role; the admin picks it). */
export const accountCreateBody = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
  role: z.enum(ROLES),
  is_active: looseBool.optional().default(true),
  get_agreement: looseBool.optional().default(false),
});
export type AccountCreate = z.output<typeof accountCreateBody>;
