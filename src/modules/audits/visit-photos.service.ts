import { Injectable } from '@nestjs/common';
import { msg } from '../../common/i18n/message';
import { InjectDataSource } from '@nestjs/typeorm';
import exifr from 'exifr';
import { DataSource } from 'typeorm';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { AuditLogService, districtChain } from '../audit-log/audit-log.service';
import type { Actor } from '../auth/actor';
import { loadContractInScope } from '../contracts/contract-scope';
import { FileStore } from '../field-work/file-store';
import type { UploadedFileOnDisk } from '../../common/http/file-upload.interceptor';
import type { VisitPhotoDto } from './dto/audit-sample.dto';

/** What a photo is, from its first bytes (never from the name or the client's content type). */
export function photoType(content: Buffer): 'image/jpeg' | 'image/png' | null {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) {
    return 'image/jpeg';
  }
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (content.length >= png.length && png.every((byte, index) => content[index] === byte)) {
    return 'image/png';
  }
  return null;
}

/**
 * When and where a photo was taken, from its EXIF (the bytes, or the file at a path); nothing when
 * it has none or it is unreadable.
 */
export async function photoPlace(
  content: Buffer | string,
): Promise<{ takenAt?: Date; latitude?: number; longitude?: number }> {
  try {
    const tags = (await exifr.parse(content, {
      gps: true,
      pick: [
        'DateTimeOriginal',
        'CreateDate',
        'GPSLatitude',
        'GPSLongitude',
        'GPSLatitudeRef',
        'GPSLongitudeRef',
      ],
    })) as
      | {
          DateTimeOriginal?: unknown;
          CreateDate?: unknown;
          latitude?: unknown;
          longitude?: unknown;
        }
      | undefined;
    if (!tags) return {};
    const taken = tags.DateTimeOriginal ?? tags.CreateDate;
    const finite = (value: unknown, bound: number): value is number =>
      typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= bound;
    return {
      ...(taken instanceof Date && !Number.isNaN(taken.getTime()) ? { takenAt: taken } : {}),
      ...(finite(tags.latitude, 90) && finite(tags.longitude, 180)
        ? {
            latitude: Math.round(tags.latitude * 1e6) / 1e6,
            longitude: Math.round(tags.longitude * 1e6) / 1e6,
          }
        : {}),
    };
  } catch {
    return {};
  }
}

/**
 * A visit's photos: kept like attachments (content-addressed under DATA_DIR/files, never served
 * as anything but what they are), with the time and position their EXIF gives.
 */
@Injectable()
export class VisitPhotosService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FileStore,
    private readonly auditLog: AuditLogService,
  ) {}

  async upload(actor: Actor, visitId: string, file: UploadedFileOnDisk): Promise<VisitPhotoDto> {
    const [visit] = await this.dataSource.query<{ contract_id: string }[]>(
      `SELECT s.contract_id FROM audit_visit v JOIN audit_sample s ON s.id = v.sample_id
        WHERE v.id = $1`,
      [visitId],
    );
    if (!visit) throw notFound('Audit visit', visitId);
    const contract = await loadContractInScope(this.dataSource.manager, actor, visit.contract_id, {
      what: 'Audit visit',
      id: visitId,
    });
    const contentType = photoType(file.head);
    if (!contentType) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', msg('upload.photoType'));
    }
    // EXIF read from the file on disk (exifr reads only the segments it needs).
    const place = await photoPlace(file.path);
    const sha256 = await this.files.putFile(file.path, file.sha256);
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ id: string }[]>(
        `INSERT INTO audit_visit_photo (visit_id, sha256, size, content_type, file_name, taken_at,
           latitude, longitude, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          visitId,
          sha256,
          file.size,
          contentType,
          file.originalName.slice(0, 255) || 'photo',
          place.takenAt ?? null,
          place.latitude ?? null,
          place.longitude ?? null,
          actor.id,
        ],
      );
      const dto: VisitPhotoDto = {
        id: row.id,
        sha256,
        ...(place.takenAt ? { takenAt: place.takenAt.toISOString() } : {}),
        ...(place.latitude !== undefined ? { latitude: place.latitude } : {}),
        ...(place.longitude !== undefined ? { longitude: place.longitude } : {}),
      };
      await this.auditLog.record(manager, {
        chain: districtChain(contract.districtCode),
        actor,
        action: 'audit.photoAdded',
        entityType: 'contract',
        entityId: contract.id,
        data: { visitId, ...dto },
      });
      return dto;
    });
  }
}
