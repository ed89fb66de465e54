import { afterEach, describe, expect, it } from 'vitest';
import { isDeviceTokenHmac } from '@airfleet/runtime';
import { connectDevice, endAll, metricValue, returnCodeOf, startTestGateway, testTokenHasher, tryConnect, type TestGateway } from './gateway.test-kit.ts';

/** Device token hashing and the failure backoff, through a real broker and real mqtt.js clients. */
const LEGACY = 'AF37-000010';
const CURRENT = 'AF37-000011';

function fakeClock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('device token hashes through the broker', () => {
  it('accepts an HMAC-hashed token and refuses a wrong one', async () => {
    gw = await startTestGateway({ devices: { [CURRENT]: { token: 'token-current' } } });
    const client = await connectDevice(gw.mqttPort, CURRENT, 'token-current');
    await endAll(client);
    expect(returnCodeOf(await tryConnect(gw.mqttPort, { clientId: CURRENT, username: CURRENT, password: 'token-currenT' }))).toBe(4);
  });

  it('lets a device with a legacy scrypt hash connect and re-hashes its row to HMAC', async () => {
    gw = await startTestGateway({ devices: { [LEGACY]: { token: 'token-legacy', legacyScrypt: true } } });
    expect((await gw.store.lookup(LEGACY))?.tokenHash).toMatch(/^scrypt\$/);
    const client = await connectDevice(gw.mqttPort, LEGACY, 'token-legacy');
    await endAll(client);
    const row = await gw.store.lookup(LEGACY);
    expect(isDeviceTokenHmac(row!.tokenHash)).toBe(true);
    expect(row!.tokenHash).toBe(testTokenHasher.hash('token-legacy'));
    expect(await metricValue(gw.registry, 'airfleet_gateway_device_hashes_upgraded_total')).toBe(1);
    // And the upgraded row keeps working.
    await endAll(await connectDevice(gw.mqttPort, LEGACY, 'token-legacy', { clean: true }));
  });
});

describe('backoff after repeated failed connects', () => {
  it('refuses with CONNACK 4 without a store lookup, counts it, and recovers after the window', async () => {
    const clock = fakeClock();
    gw = await startTestGateway({ devices: { [CURRENT]: { token: 'token-current' } }, clock, limits: { connectBurstPerIp: 1_000 } });
    let lookups = 0;
    const lookup = gw.store.lookup.bind(gw.store);
    gw.store.lookup = (id) => {
      lookups += 1;
      return lookup(id);
    };
    const attempt = (password: string) => tryConnect(gw!.mqttPort, { clientId: CURRENT, username: CURRENT, password });

    // Default policy: five consecutive failures, then 1 s, 2 s, … windows.
    for (let i = 0; i < 5; i += 1) expect(returnCodeOf(await attempt(`guess-${i}`))).toBe(4);
    const lookupsBefore = lookups;
    expect(returnCodeOf(await attempt('token-current'))).toBe(4);
    expect(lookups).toBe(lookupsBefore);
    expect(await metricValue(gw.registry, 'airfleet_gateway_connects_backed_off_total')).toBe(1);

    clock.advance(1_000);
    const client = await connectDevice(gw.mqttPort, CURRENT, 'token-current');
    await endAll(client);
    // The success reset the count: one more failure does not block the right token.
    expect(returnCodeOf(await attempt('guess-again'))).toBe(4);
    await endAll(await connectDevice(gw.mqttPort, CURRENT, 'token-current'));
  });
});
