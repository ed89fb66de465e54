import { describe, expect, it } from 'vitest';
import { gatewayEnvSchema, toGatewayConfig } from './gateway.config.ts';

const BASE = {
  DATABASE_URL: 'postgres://airfleet:secret@db:5432/airfleet',
  MQTT_SERVICE_PASSWORD: 'service-password-0123456789',
  DEVICE_TOKEN_PEPPER: 'p'.repeat(32),
};

describe('gateway configuration: DEVICE_TOKEN_PEPPER', () => {
  it('is required, with no default in any mode', () => {
    const { DEVICE_TOKEN_PEPPER: _omit, ...env } = BASE;
    for (const NODE_ENV of [undefined, 'development', 'production']) {
      const result = gatewayEnvSchema.safeParse({ ...env, NODE_ENV });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('DEVICE_TOKEN_PEPPER');
    }
  });

  it('must be at least 32 characters', () => {
    const result = gatewayEnvSchema.safeParse({ ...BASE, DEVICE_TOKEN_PEPPER: 'p'.repeat(31) });
    expect(result.error?.issues[0]?.message).toMatch(/at least 32 characters/);
  });

  it('reaches the config outside `limits`, which the gateway logs at start', () => {
    const config = toGatewayConfig(gatewayEnvSchema.parse(BASE));
    expect(config.deviceTokenPepper).toBe(BASE.DEVICE_TOKEN_PEPPER);
    expect(JSON.stringify(config.limits)).not.toContain(BASE.DEVICE_TOKEN_PEPPER);
  });
});
