import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { BoardRequest } from './board-csrf.guard';

/** The hidden field's value for this client, set by BoardCsrfGuard. */
export const FormToken = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<BoardRequest>().boardFormToken ?? '',
);
