import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** express-session rows for the embedded mode (full mode keeps sessions in Redis). */
@Entity({ name: 'http_sessions' })
export class HttpSession {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sid!: string;

  @Column({ type: 'text' })
  data!: string;

  /** The staff member the session is logged in as (null before login): "end this account's sessions". */
  @Index('ix_http_sessions_user_id')
  @Column({ name: 'user_id', type: 'int', nullable: true })
  userId!: number | null;

  @Index('ix_http_sessions_expires_at')
  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;
}
