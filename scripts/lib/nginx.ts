import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './log';
import { root, runDir } from './paths';
import { freePort, portOpen, waitFor } from './wait';

/**
 * A private nginx in front of local app processes, with the repository's own site configuration
 * (deploy/nginx/templates/opendispatch.conf.template) and a self-signed certificate made at run
 * time (deploy/nginx/self-signed-cert.sh). It runs in the foreground as a child process the
 * caller stops; config, certificate, logs and temp files live in .run/nginx/<name>/.
 */
export const nginxBinary = '/usr/sbin/nginx';
export const siteTemplate = join(root, 'deploy', 'nginx', 'templates', 'opendispatch.conf.template');
export const certScript = join(root, 'deploy', 'nginx', 'self-signed-cert.sh');

/** The Debian packages still to install (openssl makes the self-signed certificate). */
function missingPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync(nginxBinary)) missing.push('nginx');
  if (spawnSync('openssl', ['version']).status !== 0) missing.push('openssl');
  return missing;
}

/** Debian's nginx and openssl, installed with apt-get if missing (idempotent). */
export function ensureNginx(): void {
  const packages = missingPackages();
  if (packages.length === 0) return;
  log.step(`Installing ${packages.join(' and ')} from Debian (first run: ~30 s)…`);
  // Non-interactive, but not quiet: apt's download and unpack lines show the progress. Debian's
  // package would start a system nginx where policy-rc.d allows it; the tests never use that one.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env,
    });
  let result = install();
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    result = install();
  }
  if (result.status !== 0 || missingPackages().length > 0)
    throw new Error(`Could not install ${packages.join(' and ')} with apt-get`);
  // Where a service manager started Debian's own nginx on :80, stop it: the tests run their own.
  if (packages.includes('nginx')) spawnSync('systemctl', ['disable', '--now', 'nginx'], { stdio: 'ignore' });
  log.ok(`${packages.join(' and ')} installed`);
}

/**
 * Renders a template the way the official nginx image does (envsubst), but strictly: every
 * `${NAME}` must be given. nginx's own `$variables` are left alone.
 */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  const missing = new Set<string>();
  const text = template.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
  if (missing.size > 0) throw new Error(`nginx template needs ${[...missing].join(', ')}`);
  return text;
}

/** `server` lines for an upstream block; fails fast so a dead instance is skipped for a while. */
export function upstreamServers(addresses: string[]): string {
  return addresses.map((a) => `server ${a} max_fails=1 fail_timeout=10s;`).join(' ');
}

/** The self-signed pair in `dir` (made if missing) for the given host names. */
export function ensureSelfSignedCert(dir: string, hosts = ['localhost']): { cert: string; key: string } {
  const result = spawnSync('sh', [certScript, dir, ...hosts], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`self-signed certificate failed: ${result.stderr || result.stdout}`);
  return { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') };
}

export interface NginxOptions {
  /** Directory name under .run/nginx/ (recreated). */
  name: string;
  /** host:port of each web instance, and of each realtime instance. */
  web: string[];
  realtime: string[];
  /** Picked free if not given. */
  httpsPort?: number;
  httpPort?: number;
}

export interface RunningNginx {
  child: ChildProcess;
  httpsPort: number;
  httpPort: number;
  /** The public origin, as browsers (and NEXTAUTH_URL) name it. */
  origin: string;
  /** The self-signed certificate (PEM), for clients to trust. */
  ca: Buffer;
  dir: string;
  accessLog: string;
  errorLog: string;
  /** Graceful stop (SIGQUIT: finish open requests), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

function mainConfig(dir: string, site: string): string {
  const tmp = (what: string) => join(dir, 'tmp', what);
  return `# Rendered by scripts/lib/nginx.ts for a local run; the site itself is ${site}.
worker_processes 1;
daemon off;
worker_shutdown_timeout 5s;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} notice;
events { worker_connections 1024; }
http {
  default_type application/octet-stream;
  log_format upstream '$remote_addr "$request" $status $body_bytes_sent upstream=$upstream_addr '
                      'rt=$request_time urt=$upstream_response_time';
  access_log ${join(dir, 'access.log')} upstream;
  client_body_temp_path ${tmp('body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};
  include ${site};
}
`;
}

/** Starts nginx in front of the given instances and waits until it accepts TLS connections. */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  ensureNginx();
  const dir = join(runDir, 'nginx', options.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const { cert, key } = ensureSelfSignedCert(join(dir, 'tls'));
  const httpsPort = options.httpsPort ?? (await freePort());
  const httpPort = options.httpPort ?? (await freePort());
  const site = join(dir, 'opendispatch.conf');
  writeFileSync(
    site,
    renderTemplate(readFileSync(siteTemplate, 'utf8'), {
      SERVER_NAME: 'localhost',
      HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
      HTTP_LISTEN: `127.0.0.1:${httpPort}`,
      HTTPS_PUBLIC_PORT: String(httpsPort),
      TLS_CERTIFICATE: cert,
      TLS_CERTIFICATE_KEY: key,
      WEB_SERVERS: upstreamServers(options.web),
      REALTIME_SERVERS: upstreamServers(options.realtime),
      // Upstreams here are IP addresses: nothing is ever looked up.
      DNS_RESOLVER: '127.0.0.1',
    }),
  );
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, mainConfig(dir, site));
  const errorLog = join(dir, 'error.log');
  const args = ['-p', dir, '-c', conf, '-e', errorLog];
  const check = spawnSync(nginxBinary, [...args, '-t', '-q'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx rejected ${conf}:\n${check.stderr}`);

  const child = spawn(nginxBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(join(dir, 'stdout.log'));
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = once(child, 'exit');
  const died = exited.then(([code]) => {
    throw new Error(`nginx exited with ${code} during start-up; see ${errorLog}`);
  });
  died.catch(() => undefined);
  try {
    await Promise.race([waitFor(`nginx on ${httpsPort}`, () => portOpen(httpsPort), 15_000), died]);
  } catch (error) {
    // Not up in time: never leave it holding the ports.
    child.kill('SIGKILL');
    throw error;
  }

  return {
    child,
    httpsPort,
    httpPort,
    origin: `https://localhost:${httpsPort}`,
    ca: readFileSync(cert),
    dir,
    accessLog: join(dir, 'access.log'),
    errorLog,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
