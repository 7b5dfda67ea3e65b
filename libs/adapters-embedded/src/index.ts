export * from './read-model/in-memory-read-model';
export * from './event-log';
