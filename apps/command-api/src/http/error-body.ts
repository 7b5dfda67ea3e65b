import { ErrorDetail } from '@cds/domain';

/** SPEC §6: every error is `{code, message, details?}`. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: ErrorDetail[];
}

export function errorBody(code: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return details && details.length > 0 ? { code, message, details } : { code, message };
}
