import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A director or an actor (the same person may be both). */
@Entity({ name: 'people' })
export class Person extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('ix_people_name')
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'name_eng', type: 'varchar', length: 100, nullable: true })
  nameEng!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
