import type { FieldError } from '../../common/errors/domain-error';

/** What a contract page shows around its forms: the form that failed, its input and errors. */
export interface FormState {
  csrf?: string;
  /** The key of the form that was refused (its fields show their errors and keep the input). */
  form?: string;
  errors?: FieldError[];
  fieldErrors?: Record<string, string>;
  values?: Record<string, unknown>;
  /** The key of the action just done (303 back with `?done=`). */
  done?: string;
  banner?: { title: string; text?: string };
  rejections?: { row: number; code: string; message: string }[];
}
