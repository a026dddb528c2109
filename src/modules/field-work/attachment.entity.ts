import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { bigintNumber } from '../../database/transformers';
import { Contract } from '../contracts/contract.entity';

export const ATTACHMENT_KINDS = [
  'legal_person_certificate',
  'contract_scan',
  'register_scan',
  'other',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** The papers a claim needs (法人代码证书, 合同书, 签字的清册), kept by SHA-256 under DATA_DIR/files. */
export const CLAIM_ATTACHMENTS: readonly AttachmentKind[] = [
  'legal_person_certificate',
  'contract_scan',
  'register_scan',
];

@Entity('attachment')
@Check(
  'attachment_kind_check',
  `"kind" IN ('legal_person_certificate', 'contract_scan', 'register_scan', 'other')`,
)
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  contractId!: string;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id' })
  contract?: Contract;

  @Column({ type: 'varchar', length: 30 })
  kind!: AttachmentKind;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  size!: number;

  @Column({ type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'uuid', nullable: true })
  uploadedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
