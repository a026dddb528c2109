import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/transformers';

/**
 * Every document the engine issued, by the SHA-256 printed in its footer, so that anyone holding
 * a printed form can ask GET /public/documents/:sha256 whether it is genuine.
 */
@Entity('issued_document')
export class IssuedDocument {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256!: string;

  @Index()
  @Column({ type: 'uuid' })
  contractId!: string;

  @Column({ type: 'varchar', length: 30 })
  kind!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'timestamptz' })
  generatedAt!: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  generatedBy!: string | null;

  /** The head of the contract's audit chain at issue time, printed in the footer (null: none yet). */
  @Column({ type: 'text', nullable: true })
  auditChain!: string | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  auditSeq!: number | null;

  @Column({ type: 'char', length: 64, nullable: true })
  auditHash!: string | null;

  /**
   * SHA-256 of what decides the document: kind, contract, contract version, options and content
   * as its reader may see it. One issue per key (unique); null for documents issued before
   * documents were kept.
   */
  @Column({ type: 'char', length: 64, nullable: true })
  issueKey!: string | null;

  /** The PDF as issued, in the content-addressed file store (DATA_DIR/files). */
  @Column({ type: 'char', length: 64, nullable: true })
  fileSha256!: string | null;

  @Column({ type: 'integer', nullable: true })
  contractVersion!: number | null;

  /** The query it was issued for (`taskCode`, `villageCode`), as given. */
  @Column({ type: 'jsonb', nullable: true })
  options!: Record<string, string> | null;
}
