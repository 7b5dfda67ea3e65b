/**
 * The contract between the API and its clients, in one place: token scopes, the attribute
 * definition check, and the types of every request and answer, generated from the OpenAPI
 * document (`npm run api-types`; a spec fails when the generated file is out of date).
 */
export * from './token-scopes';
export * from './attribute-input';
export * from './api-types';
