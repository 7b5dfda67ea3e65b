import { EventStoreUnavailableError } from '@cds/application';
import { conflict, notFound, validationError } from '@cds/domain';
import { toHttpError } from './http-error.filter';

describe('toHttpError', () => {
  it.each([
    [validationError('invalid_attributes', 'bad', [{ field: 'traits.x', reason: 'undefined' }]), 400, 'invalid_attributes'],
    [notFound('profile_not_found', 'gone'), 404, 'profile_not_found'],
    [conflict('profile_has_other_user', 'taken'), 409, 'profile_has_other_user'],
    [new EventStoreUnavailableError('connection refused'), 503, 'log_unavailable'],
  ])('answers %p with %i %s', (error, status, code) => {
    const answer = toHttpError(error);
    expect(answer.status).toBe(status);
    expect(answer.body.code).toBe(code);
  });

  it('keeps validation details', () => {
    expect(toHttpError(validationError('invalid_attributes', 'bad', [{ field: 'traits.x', reason: 'undefined' }])).body.details).toEqual([
      { field: 'traits.x', reason: 'undefined' },
    ]);
  });

  it('hides what an unexpected error says, and calls it ours', () => {
    const answer = toHttpError(new Error('secret internals'));
    expect(answer).toEqual({ status: 500, body: { code: 'internal_error', message: expect.not.stringContaining('secret') } });
  });
});
