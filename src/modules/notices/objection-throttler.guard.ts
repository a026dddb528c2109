import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

/** Counts objections per client address and phone number: a flood is slowed, other villagers are not. */
@Injectable()
export class ObjectionThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Request): Promise<string> {
    const body = request.body as { phone?: unknown } | undefined;
    const phone = typeof body?.phone === 'string' ? body.phone.replace(/\D/g, '') : '';
    return Promise.resolve(`objection|${request.ip ?? ''}|${phone}`);
  }
}
