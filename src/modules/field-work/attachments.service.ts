import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Page } from '../../common/http/page.dto';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { loadContractInScope } from '../contracts/contract-scope';
import { Attachment, type AttachmentKind } from './attachment.entity';
import type { AttachmentDto } from './dto/register.dto';
import { FileStore } from './file-store';

export function toAttachmentDto(attachment: Attachment): AttachmentDto {
  const { id, kind, sha256, size, fileName, contentType, createdAt } = attachment;
  return { id, kind, sha256, size, fileName, contentType, createdAt: createdAt.toISOString() };
}

@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FileStore,
    private readonly auditLog: AuditLogService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async upload(
    actor: Actor,
    contractId: string,
    kind: AttachmentKind,
    file: { buffer: Buffer; originalname: string; mimetype: string },
  ): Promise<AttachmentDto> {
    const contract = await loadContractInScope(this.dataSource.manager, actor, contractId);
    const sha256 = await this.files.put(file.buffer);
    return this.dataSource.transaction(async (manager) => {
      const attachment = manager.create(Attachment, {
        createdAt: this.clock.now(),
        contractId,
        kind,
        sha256,
        size: file.buffer.length,
        fileName: file.originalname.slice(0, 255) || 'upload',
        contentType: (file.mimetype || 'application/octet-stream').slice(0, 100),
        uploadedBy: actor.id,
      });
      await manager.save(attachment);
      await this.auditLog.record(manager, {
        chain: districtChain(contract.districtCode),
        actor,
        action: 'attachment.uploaded',
        entityType: 'contract',
        entityId: contractId,
        data: {
          attachmentId: attachment.id,
          kind,
          sha256,
          size: attachment.size,
          fileName: attachment.fileName,
        },
      });
      return toAttachmentDto(attachment);
    });
  }

  async list(actor: Actor, contractId: string): Promise<Page<AttachmentDto>> {
    await loadContractInScope(this.dataSource.manager, actor, contractId);
    const rows = await this.dataSource
      .getRepository(Attachment)
      .find({ where: { contractId }, order: { createdAt: 'ASC' } });
    return { items: rows.map(toAttachmentDto), total: rows.length };
  }
}
