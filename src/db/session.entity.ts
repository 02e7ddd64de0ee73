import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** express-session rows for the embedded mode (full mode keeps sessions in Redis). */
@Entity({ name: 'http_sessions' })
export class HttpSession {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  sid!: string;

  @Column({ type: 'text' })
  data!: string;

  @Index('ix_http_sessions_expires_at')
  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;
}
