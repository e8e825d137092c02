import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { brokerAnswers } from '@/server/infra/kafka/broker-probe';
import { log } from './log';
import { cacheDir, root, runDir } from './paths';
import { portOpen, sleep, waitFor } from './wait';

/**
 * Apache Kafka as a real broker on this machine, from Maven Central jars (the only source of a
 * Kafka broker reachable here). Jars are fetched once into .cache/; each broker keeps its data,
 * config, log and pid under .run/.
 */
const pom = join(root, 'infra', 'kafka', 'pom.xml');
const log4jConfig = join(root, 'infra', 'kafka', 'log4j2.properties');

export interface BrokerOptions {
  name: string;
  port: number;
  controllerPort: number;
  /** Max heap; the broker's page cache lives outside it. */
  heap?: string;
}

export interface BrokerPaths {
  dir: string;
  data: string;
  config: string;
  logFile: string;
  pidFile: string;
}

export function brokerPaths(name: string): BrokerPaths {
  const dir = join(runDir, 'kafka', name);
  return {
    dir,
    data: join(dir, 'data'),
    config: join(dir, 'server.properties'),
    logFile: join(dir, 'broker.log'),
    pidFile: join(dir, 'broker.pid'),
  };
}

/** Fetches the broker jars with Maven once; later runs reuse them (and ~/.m2). */
export async function ensureKafkaJars(): Promise<string> {
  const pomText = readFileSync(pom);
  const hash = createHash('sha256').update(pomText).digest('hex').slice(0, 12);
  const libs = join(cacheDir, `kafka-libs-${hash}`);
  const stamp = join(libs, '.complete');
  if (existsSync(stamp)) return libs;
  log.step('Fetching Apache Kafka jars from Maven Central (first run: ~55 MB)…');
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(libs, { recursive: true });
  const mvn = spawn('mvn', ['-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let downloaded = 0;
  const output: string[] = [];
  createInterface({ input: mvn.stdout }).on('line', (line) => {
    output.push(line);
    if (line.includes('Downloaded from')) {
      downloaded++;
      if (downloaded % 10 === 0) log.info(`${downloaded} artifacts downloaded…`);
    }
  });
  createInterface({ input: mvn.stderr }).on('line', (line) => output.push(line));
  const code = await new Promise<number | null>((resolve) => mvn.on('exit', resolve));
  if (code !== 0) {
    throw new Error(`Maven could not fetch the Kafka jars (exit ${code}):\n${output.slice(-30).join('\n')}`);
  }
  writeFileSync(stamp, new Date().toISOString());
  log.ok(`Kafka jars ready (${readdirSync(libs).length} files, ${downloaded} downloaded)`);
  return libs;
}

function brokerConfig(options: BrokerOptions, paths: BrokerPaths): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${options.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${options.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${paths.data}`,
    // Topics are created by the platform with their intended partitions; a typo must fail.
    'auto.create.topics.enable=false',
    'num.partitions=1',
    // A single node: every internal topic has one replica. Without the offsets setting kafkajs
    // loops on "group coordinator not available".
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=8',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=24',
    'log.segment.bytes=134217728',
    // acks=all is meaningful with one replica only if min.insync.replicas matches.
    'min.insync.replicas=1',
    'delete.topic.enable=true',
    '',
  ].join('\n');
}

export async function kafkaAnswers(port: number): Promise<boolean> {
  return (await portOpen(port)) && (await brokerAnswers(`127.0.0.1:${port}`));
}

export interface RunningBroker {
  pid: number;
  brokers: string;
  paths: BrokerPaths;
  child: ChildProcess | null;
}

/**
 * Starts a broker in the background (it outlives this script, so the next run reuses it).
 * Storage is formatted on first start only; a restart keeps every message.
 */
export async function startBroker(options: BrokerOptions, detached = true): Promise<RunningBroker> {
  const libs = await ensureKafkaJars();
  const paths = brokerPaths(options.name);
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.config, brokerConfig(options, paths));
  const classpath = `${libs}/*`;
  if (!existsSync(join(paths.data, 'meta.properties'))) {
    const format = spawn(
      'java',
      [
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        '-t',
        clusterId(),
        '-c',
        paths.config,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    format.stdout.on('data', (d) => (output += d));
    format.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => format.on('exit', resolve));
    if (code !== 0) throw new Error(`Formatting Kafka storage failed:\n${output}`);
  }
  const out = openSync(paths.logFile, 'a');
  const child = spawn(
    'java',
    [
      `-Xmx${options.heap ?? '1g'}`,
      '-Xms256m',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4jConfig}`,
      `-Dkafka.logs.dir=${paths.dir}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      paths.config,
    ],
    { detached, stdio: ['ignore', out, out] },
  );
  if (!child.pid) throw new Error('Could not start java for Kafka');
  writeFileSync(paths.pidFile, String(child.pid));
  if (detached) child.unref();
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`Kafka exited during start-up (code ${code}); see ${paths.logFile}`)),
    ),
  );
  await Promise.race([
    waitFor(`Kafka on port ${options.port}`, () => kafkaAnswers(options.port), 90_000, 500),
    exited,
  ]);
  return { pid: child.pid, brokers: `127.0.0.1:${options.port}`, paths, child: detached ? null : child };
}

function clusterId(): string {
  // Kafka wants 16 random bytes, base64url without padding.
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
}

/** Reuses a broker already answering on the port, else starts one. */
export async function ensureBroker(options: BrokerOptions): Promise<string> {
  if (await kafkaAnswers(options.port)) return `127.0.0.1:${options.port}`;
  log.step(`Starting Kafka (KRaft, single node) on 127.0.0.1:${options.port}…`);
  const broker = await startBroker(options);
  log.ok(`Kafka up (pid ${broker.pid}, log ${broker.paths.logFile})`);
  return broker.brokers;
}

/** Stops the broker this project started under `name` (by its pid file, never by process name). */
export async function stopBroker(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
  const paths = brokerPaths(name);
  if (!existsSync(paths.pidFile)) return false;
  const pid = Number(readFileSync(paths.pidFile, 'utf8'));
  try {
    process.kill(pid, signal);
  } catch {
    return false;
  }
  for (let i = 0; i < 120; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(paths.pidFile, { force: true });
      return true;
    }
    await sleep(250);
  }
  process.kill(pid, 'SIGKILL');
  rmSync(paths.pidFile, { force: true });
  return true;
}
