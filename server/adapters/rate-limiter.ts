import { DomainError } from '@/domain/errors';
import { decide, type RateDecision, type RateLimit } from '@/domain/rate-limits';
import type { Logger } from '../infra/logger';
import type { Redis } from '../infra/redis';

// One atomic step per attempt: count it, start the window on the first, report what is left.
const countScript = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

// Counts distinct members (e.g. idempotency keys): a member keeps the position it first got, so
// retries of one attempt neither count again nor slip in once the window has filled up.
const distinctScript = `
local pos = redis.call('HGET', KEYS[1], ARGV[2])
if not pos then
  pos = redis.call('HLEN', KEYS[1]) + 1
  redis.call('HSET', KEYS[1], ARGV[2], pos)
  if pos == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {tonumber(pos), ttl}`;

/**
 * Fixed-window counters in Redis, shared by every web instance. If Redis cannot answer, the
 * action is allowed and the failure logged: an outage of the limiter must not become an outage of
 * booking (argon2's cost still slows password guessing).
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {}

  hit(name: string, key: string, limit: RateLimit): Promise<RateDecision> {
    return this.run(countScript, name, key, limit, []);
  }

  /** Like `hit`, counting each distinct `member` once per window (retries of one attempt are free). */
  hitDistinct(name: string, key: string, member: string, limit: RateLimit): Promise<RateDecision> {
    return this.run(distinctScript, `${name}:d`, key, limit, [member]);
  }

  /**
   * Counts the action (once per distinct `member` if given) and throws RATE_LIMITED (→ 429 with
   * Retry-After) when over the limit.
   */
  async enforce(name: string, key: string, limit: RateLimit, what: string, member?: string): Promise<void> {
    const decision =
      member === undefined
        ? await this.hit(name, key, limit)
        : await this.hitDistinct(name, key, member, limit);
    if (!decision.allowed) {
      throw new DomainError('RATE_LIMITED', `Too many ${what}; try again in ${decision.retryAfterS} s`, {
        retryAfterS: decision.retryAfterS,
      });
    }
  }

  private async run(
    lua: string,
    name: string,
    key: string,
    limit: RateLimit,
    args: string[],
  ): Promise<RateDecision> {
    try {
      const [count, ttl] = (await this.redis.eval(
        lua,
        1,
        `${this.prefix}:rl:${name}:${key}`,
        String(limit.windowMs),
        ...args,
      )) as [number, number];
      return decide(limit, count, ttl);
    } catch (err) {
      this.logger?.warn({ err, limiter: name }, 'rate limiter unavailable; allowing');
      return { allowed: true, count: 0, retryAfterS: 1 };
    }
  }
}
