import type pg from 'pg';
import type { Logger } from 'pino';
import { DOWNLINK_CHANNEL, type Judgment } from '@airfleet/contracts';

/**
 * Puts a judgment on the wire to its device. Only the process that holds the device's MQTT
 * connection can: the gateway node it is connected to (see the edge runtime).
 */
export interface JudgmentPublisher {
  /** QoS 1 publish; true once the broker has written it to the device, false if it is not connected here. */
  publish(deviceId: string, judgment: Judgment): Promise<boolean>;
}

/**
 * Where no device is connected (a platform instance), a judgment stays `pending` in its table
 * and the gateways are told: one NOTIFY per device on the downlink channel. The node holding
 * the device sends what is pending; a node that does not hold it ignores the call. A missed
 * notification is caught by the sweep (pending judgments are announced again) and by the
 * device's next birth message.
 */
export function createDownlinkWaker(pool: pg.Pool, log: Logger): (deviceIds: readonly string[]) => void {
  return (deviceIds) => {
    const ids = [...new Set(deviceIds)];
    if (ids.length === 0) return;
    pool
      .query(`SELECT pg_notify($1, id) FROM unnest($2::text[]) AS id`, [DOWNLINK_CHANNEL, ids])
      .catch((err: Error) => log.warn({ err: err.message, devices: ids.length }, 'could not announce pending judgments; the sweep will'));
  };
}
