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
import type { UploadedFileOnDisk } from '../../common/http/file-upload.interceptor';

export function toAttachmentDto(attachment: Attachment): AttachmentDto {
  const { id, kind, sha256, size, fileName, contentType, createdAt } = attachment;
  return { id, kind, sha256, size, fileName, contentType, createdAt: createdAt.toISOString() };
}

/**
 * What is attached: an upload already on disk (the route's, streamed there and hashed as it
 * arrived: moved into the store, never read into memory), or bytes made in this process (the demo).
 */
export type AttachmentContent =
  UploadedFileOnDisk | { buffer: Buffer; originalname: string; mimetype: string };

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
    file: AttachmentContent,
  ): Promise<AttachmentDto> {
    const contract = await loadContractInScope(this.dataSource.manager, actor, contractId);
    const onDisk = 'path' in file;
    const sha256 = onDisk
      ? await this.files.putFile(file.path, file.sha256)
      : await this.files.put(file.buffer);
    return this.dataSource.transaction(async (manager) => {
      const attachment = manager.create(Attachment, {
        createdAt: this.clock.now(),
        contractId,
        kind,
        sha256,
        size: onDisk ? file.size : file.buffer.length,
        fileName: onDisk ? file.originalName : file.originalname,
        contentType: (onDisk ? file.mimeType : file.mimetype) || 'application/octet-stream',
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
