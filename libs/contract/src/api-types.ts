import type { components, paths } from './api-types.generated';

export type { components, paths };
type Schemas = components['schemas'];

/** The `{code, message, details?}` of every error answer. */
export type ApiErrorBody = Schemas['Error'];
export type Profile = Schemas['Profile'];
export type ProfilePage = Schemas['ProfilePage'];
export type AttributeDefinition = Schemas['AttributeDefinition'];
export type AttributeInput = Schemas['AttributeInput'];
export type UnificationRule = Schemas['UnificationRule'];
export type TokenResponse = Schemas['TokenResponse'];
/** One page of a profile's history; its items are told apart by `type` (version 1). */
export type HistoryPage = Schemas['HistoryPage'];
export type HistoryItem = Schemas['HistoryItem'];
