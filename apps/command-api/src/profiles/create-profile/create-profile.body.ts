import { isPlainObject, JsonObject, validationError } from '@cds/domain';

/** `{}` or initial attributes by scope; `tracking_consent: false` marks a legitimate-interest profile. */
export interface CreateProfileBody {
  attributes: JsonObject;
  trackingConsent: boolean;
}

export function parseCreateProfileBody(body: unknown): CreateProfileBody {
  // No body at all is `{}`; a body that is not an object (JSON null included) is refused.
  if (body === undefined) return { attributes: {}, trackingConsent: true };
  if (!isPlainObject(body)) throw validationError('invalid_body', 'The body must be a JSON object');
  const { tracking_consent, ...attributes } = body;
  if (tracking_consent !== undefined && typeof tracking_consent !== 'boolean') {
    throw validationError('invalid_body', 'tracking_consent must be true or false', [{ field: 'tracking_consent', reason: 'not a boolean' }]);
  }
  return { attributes, trackingConsent: tracking_consent ?? true };
}
