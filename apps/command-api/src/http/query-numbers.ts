import { validationError } from '@cds/domain';

export interface WholeNumberParameter {
  /** The query parameter, as the caller spells it. */
  name: string;
  /** The error code of a value that is not one. */
  code: string;
  min: number;
  max: number;
}

const DECIMAL_DIGITS = /^\d{1,16}$/;

/**
 * A whole number from the query string: decimal digits only (no sign, exponent, hex, blanks or
 * empty value), given once, within bounds. Undefined when the parameter is absent.
 */
export function parseWholeNumber(raw: unknown, parameter: WholeNumberParameter): number | undefined {
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && DECIMAL_DIGITS.test(raw) ? Number(raw) : NaN;
  if (!(value >= parameter.min && value <= parameter.max)) {
    throw validationError(
      parameter.code,
      `${parameter.name} is a whole number from ${parameter.min} to ${parameter.max} in decimal digits, given once`,
      [{ field: parameter.name, reason: typeof raw === 'string' ? `"${raw.slice(0, 40)}" is not one` : 'given more than once' }],
    );
  }
  return value;
}
