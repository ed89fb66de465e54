import { describe, expect, it } from 'vitest';
import { platformEnvSchema } from './platform.config.ts';

const BASE = {
  DATABASE_URL: 'postgres://airfleet:secret@db:5432/airfleet',
  MQTT_SERVICE_PASSWORD: 'service-password-0123456789',
  DEVICE_TOKEN_PEPPER: 'p'.repeat(32),
};

describe('platform configuration: DEVICE_TOKEN_PEPPER', () => {
  it('is required, with no default in production or elsewhere', () => {
    const { DEVICE_TOKEN_PEPPER: _omit, ...env } = BASE;
    for (const NODE_ENV of ['development', 'production']) {
      const result = platformEnvSchema.safeParse({ ...env, NODE_ENV });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('DEVICE_TOKEN_PEPPER');
    }
  });

  it('must be at least 32 characters', () => {
    expect(platformEnvSchema.safeParse({ ...BASE, DEVICE_TOKEN_PEPPER: 'p'.repeat(31) }).success).toBe(false);
    expect(platformEnvSchema.parse(BASE).DEVICE_TOKEN_PEPPER).toBe(BASE.DEVICE_TOKEN_PEPPER);
  });
});

describe('platform configuration: TRUST_PROXY', () => {
  it('is a hop count or a list of addresses; unset or empty trusts no proxy', () => {
    expect(platformEnvSchema.parse(BASE).TRUST_PROXY).toBeUndefined();
    expect(platformEnvSchema.parse({ ...BASE, TRUST_PROXY: '' }).TRUST_PROXY).toBeUndefined();
    expect(platformEnvSchema.parse({ ...BASE, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(platformEnvSchema.parse({ ...BASE, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(platformEnvSchema.parse({ ...BASE, TRUST_PROXY: 'uniquelocal' }).TRUST_PROXY).toEqual(['uniquelocal']);
    expect(platformEnvSchema.safeParse({ ...BASE, TRUST_PROXY: 'everyone' }).success).toBe(false);
  });
});

describe('platform configuration: retention', () => {
  it('has the documented defaults, takes 0 as "keep for ever", and refuses negative or fractional ages', () => {
    const c = platformEnvSchema.parse(BASE);
    expect([c.RETENTION_INTERVAL_MIN, c.RETENTION_BATCH_ROWS, c.RETENTION_DEAD_LETTERS_DAYS, c.RETENTION_DEAD_LETTERS_PER_DEVICE]).toEqual([60, 5000, 30, 10_000]);
    expect([c.RETENTION_SESSIONS_EXPIRED_HOURS, c.RETENTION_NOTIFICATIONS_DAYS, c.RETENTION_ENGAGEMENT_DAYS, c.RETENTION_DEVICE_EVENTS_DAYS, c.RETENTION_DEVICE_ACKS_DAYS]).toEqual([0, 180, 400, 400, 90]);
    expect(platformEnvSchema.parse({ ...BASE, RETENTION_NOTIFICATIONS_DAYS: '0' }).RETENTION_NOTIFICATIONS_DAYS).toBe(0);
    expect(platformEnvSchema.safeParse({ ...BASE, RETENTION_DEAD_LETTERS_DAYS: '-1' }).success).toBe(false);
    expect(platformEnvSchema.safeParse({ ...BASE, RETENTION_ENGAGEMENT_DAYS: '1.5' }).success).toBe(false);
    // A batch must stay bounded: 0 or a million rows per DELETE are refused.
    expect(platformEnvSchema.safeParse({ ...BASE, RETENTION_BATCH_ROWS: '0' }).success).toBe(false);
    expect(platformEnvSchema.safeParse({ ...BASE, RETENTION_BATCH_ROWS: '1000000' }).success).toBe(false);
  });
});
