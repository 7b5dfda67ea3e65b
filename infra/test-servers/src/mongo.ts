/**
 * MongoDB wire-protocol server for tests: mongo-java-server with its in-memory backend, started
 * through infra/test-servers/java/MongoWireServer.java. Real driver, real protocol, no mongod.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { TEST_SERVER_ENV } from './env';
import { classpath, ensureLauncher, TEST_JVM_OPTIONS } from './java';
import { progress, secondsSince } from './log';
import { ensureJars } from './maven';
import { stopChild, tailOfFile, waitUntil } from './processes';
import { once, type RunningServer } from './server';
import { makeTempDir } from './temp-dirs';

export const MONGO_JAVA_SERVER_VERSION = '1.47.0';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 3_000;

export interface MongoInstall {
  readonly classpath: string;
}

export async function installMongo(signal?: AbortSignal): Promise<MongoInstall> {
  const lib = await ensureJars(
    `mongo-java-server-${MONGO_JAVA_SERVER_VERSION}`,
    [`de.bwaldvogel:mongo-java-server:${MONGO_JAVA_SERVER_VERSION}`],
    signal,
  );
  return { classpath: classpath(await ensureLauncher('MongoWireServer', lib), lib) };
}

export interface RunningMongo extends RunningServer {
  readonly url: string;
  /**
   * Restarts the server on the same port: every connection is cut, connections are refused for
   * `downMs`, then it serves again with the data it held (as a mongod with durable storage does).
   */
  restart(downMs: number): Promise<void>;
}

export async function startMongo(install: MongoInstall, signal?: AbortSignal): Promise<RunningMongo> {
  const startedAt = Date.now();
  const dir = makeTempDir('mongo');
  const errFile = join(dir, 'mongo.err');
  const err = openSync(errFile, 'a');
  const child = spawn('java', [...TEST_JVM_OPTIONS, `-Xmx${process.env.CDS_TEST_MONGO_HEAP ?? '256m'}`, '-cp', install.classpath, 'MongoWireServer', '0'], {
    stdio: ['pipe', 'pipe', err],
    signal,
  });
  child.on('error', () => undefined); // reported through its exit by announcedPort/waitUntil
  closeSync(err);
  const lines = createInterface({ input: child.stdout! });
  const stop = once(async () => {
    await stopChild(child, STOP_GRACE_MS);
    rmSync(dir, { recursive: true, force: true });
  });

  try {
    const port = await announced(child, lines, /^MONGO_PORT (\d+)$/, () => tailOfFile(errFile));
    const url = `mongodb://127.0.0.1:${port}`;
    await waitUntil(`mongo on ${url}`, () => ping(url), {
      timeoutMs: READY_TIMEOUT_MS,
      child,
      signal,
      describeFailure: () => tailOfFile(errFile),
    });
    progress(`mongo up on 127.0.0.1:${port} in ${secondsSince(startedAt)}`);
    const restart = async (downMs: number) => {
      const restarted = announced(child, lines, /^MONGO_RESTARTED (\d+)$/, () => tailOfFile(errFile));
      child.stdin!.write(`restart ${Math.max(0, Math.round(downMs))}\n`);
      await restarted;
    };
    return { name: 'mongo', env: { [TEST_SERVER_ENV.mongoUrl]: url }, url, stop, restart };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The next line of the launcher matching `pattern`; its number. */
function announced(child: ChildProcess, lines: Interface, pattern: RegExp, describeFailure: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      lines.off('line', onLine);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`mongo: no ${pattern.source} within ${READY_TIMEOUT_MS / 1000}s\n${describeFailure()}`));
    }, READY_TIMEOUT_MS);
    const onLine = (line: string) => {
      const match = pattern.exec(line.trim());
      if (!match) return;
      done();
      resolve(Number(match[1]));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`mongo: launcher exited with ${code}\n${describeFailure()}`));
    };
    lines.on('line', onLine);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

async function ping(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}
