export * from './keyed-lanes';
export * from './claims';
export * from './merge-workflow';
export * from './unify-event';
export * from './unifier-partition';
export * from './unifier';
export * from './unification-progress';
export * from './unify-now';
