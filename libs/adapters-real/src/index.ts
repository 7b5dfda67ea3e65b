export * from './mongo/mongo-url';
export * from './mongo/mongo-connect';
export * from './mongo/mongo-filter';
export * from './mongo/mongo-read-model';
export * from './kafka/kafka-ingest';
export * from './kafka/dead-letter';
export * from './esdb';
