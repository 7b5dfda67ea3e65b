export * from './read-model.contract';
export * from './read-model.builder';
export * from './event-store.contract';
export * from './event-store.collect';
export * from './event-store.fixtures';
export * from './profile-projection.contract';
export * from './profile-projection.scenario';
export * from './operations.contract';
