import { Db, MongoClient, MongoClientOptions } from 'mongodb';
import { assertMongoUrl } from './mongo-url';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
}

/** Validates the URL, connects, and checks the server answers before returning. */
export async function connectMongo(url: string, dbName: string, options: MongoClientOptions = {}): Promise<MongoConnection> {
  assertMongoUrl(url);
  if (dbName.trim() === '' || /[/\\. "$*<>:|?\u0000]/.test(dbName)) {
    throw new Error(`Invalid MongoDB database name: "${dbName}"`);
  }
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000, ...options });
  await client.connect();
  try {
    const db = client.db(dbName);
    await db.command({ ping: 1 });
    return { client, db };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}
