import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const PARTNERSHIP_STATUSES = ['prospect', 'negotiating', 'contracted', 'ended'] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

/** A production company ("manufacturer" in seed 000): contact details and partnership state. */
@Entity({ name: 'manufacturers' })
export class Manufacturer extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('uq_manufacturers_name', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'contact_person', type: 'varchar', length: 100, nullable: true })
  contactPerson!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address!: string | null;

  @Column({ name: 'partnership_status', type: 'varchar', length: 20, default: 'prospect' })
  partnershipStatus!: PartnershipStatus;

  @Column({ name: 'partnership_notes', type: 'text', nullable: true })
  partnershipNotes!: string | null;

  @Column({ name: 'partnership_started_on', type: 'date', nullable: true })
  partnershipStartedOn!: string | null;

  @Column({ name: 'partnership_ended_on', type: 'date', nullable: true })
  partnershipEndedOn!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
