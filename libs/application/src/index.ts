export * from './ports/event-store.port';
export * from './ports/read-model.port';
export * from './ports/clock.port';
export * from './streams/stream-names';
export * from './streams/event-codec';
