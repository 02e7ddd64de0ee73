// Who is acting, as the services know them: a signed-in member or staff member. The HTTP edge's
// AuthUser (src/http/auth.ts) and the panel's staff (admin/service-form.ts staffOf) have this shape.
import type { Role } from '../users/user.entity.js';

export interface Principal {
  id: number;
  username: string;
  email: string;
  role: Role;
  /** The id (`jti`) of the token the request came with, when it has one. */
  tokenId?: string;
  /** When that token was issued by a login (seconds since the epoch). */
  tokenIssuedAt?: number;
}
