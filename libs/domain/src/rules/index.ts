export * from './unification-rule';
export * from './rules-events';
export * from './rules-state';
export * from './rules-decider';
export * from './identity-resolution';
