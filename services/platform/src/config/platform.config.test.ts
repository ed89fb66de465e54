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
