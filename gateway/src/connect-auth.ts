import { createHash, timingSafeEqual } from 'node:crypto';
import { isValidDeviceId } from '@airfleet/contracts';
import type { Identity } from './acl.ts';
import type { DeviceAuthenticator } from './device-auth.ts';

/** The one internal service credential (from env), shared by the platform's MQTT clients. */
export interface ServiceCredential {
  username: string;
  password: string;
}

/**
 * CONNACK return codes of MQTT 3.1.1 §3.2.2.3 (Table 3.1) that authentication can produce.
 * 1 (unacceptable protocol version) is produced before authentication, in preConnect.
 */
export const CONNACK = {
  accepted: 0,
  unacceptableProtocol: 1,
  identifierRejected: 2,
  serverUnavailable: 3,
  badUsernameOrPassword: 4,
  notAuthorized: 5,
} as const;

export type RefusalCode = 2 | 3 | 4 | 5;

export type ConnectDecision =
  | { ok: true; identity: Identity }
  | { ok: false; returnCode: RefusalCode; reason: string; cause?: unknown };

export interface ConnectAttempt {
  /** The client id exactly as sent in CONNECT (before Aedes assigns one to an empty id). */
  clientId: string;
  username: string | undefined;
  password: Uint8Array | undefined;
}

export interface ConnectAuthOptions {
  devices: DeviceAuthenticator;
  service: ServiceCredential;
  /**
   * Client ids in use by service sessions. A device with the same id would take the session over
   * (MQTT 3.1.1 §3.1.4-2) and, with a clean session, wipe the platform's queued messages.
   */
  isServiceClientId?: (clientId: string) => boolean;
}

function sha256(value: Uint8Array | string): Buffer {
  return createHash('sha256').update(value).digest();
}

function refuse(returnCode: RefusalCode, reason: string, cause?: unknown): ConnectDecision {
  return cause === undefined ? { ok: false, returnCode, reason } : { ok: false, returnCode, reason, cause };
}

/**
 * Decides a CONNECT. Order matters: the identifier check comes first so an id that could widen a
 * topic (`+`, `#`, `/`) is refused as an identifier (code 2) whatever else is sent; the service
 * username is checked before the device path, so a device whose id equals the service username
 * can never log in as a device.
 */
export function createConnectAuthenticator(options: ConnectAuthOptions): (attempt: ConnectAttempt) => Promise<ConnectDecision> {
  const { devices, service } = options;
  const expectedServiceDigest = sha256(service.password);

  return async ({ clientId, username, password }) => {
    // §3.1.3.1: the server MAY restrict the client id's characters; protocol v1 does, and an
    // empty id (server-assigned) is refused too because the id is the device identity.
    if (!isValidDeviceId(clientId)) return refuse(CONNACK.identifierRejected, 'client id outside [A-Za-z0-9_-]{1,64}');

    if (username === service.username) {
      // Digests have equal length, so timingSafeEqual reveals neither length nor content.
      const presented = sha256(password ?? new Uint8Array());
      if (!password || !timingSafeEqual(presented, expectedServiceDigest)) {
        return refuse(CONNACK.badUsernameOrPassword, 'wrong service password');
      }
      return { ok: true, identity: { kind: 'service', username: service.username } };
    }

    if (username === undefined || username !== clientId) return refuse(CONNACK.badUsernameOrPassword, 'client id differs from username');
    if (!password || password.length === 0) return refuse(CONNACK.badUsernameOrPassword, 'missing password');
    if (options.isServiceClientId?.(clientId)) return refuse(CONNACK.identifierRejected, 'client id reserved by a service session');

    let outcome;
    try {
      outcome = await devices.verify(clientId, password);
    } catch (err) {
      // The credential store is unreachable (e.g. database restart): tell the device to retry
      // later rather than that its credentials are wrong.
      return refuse(CONNACK.serverUnavailable, 'credential store unavailable', err);
    }
    if (outcome === 'bad_credentials') return refuse(CONNACK.badUsernameOrPassword, 'unknown device or wrong token');
    // Same code as a wrong token: the device learns nothing new, and retries with back-off anyway.
    if (outcome === 'backed_off') return refuse(CONNACK.badUsernameOrPassword, 'repeated failures for this device id, backing off');
    if (outcome === 'disabled') return refuse(CONNACK.notAuthorized, 'device disabled');
    return { ok: true, identity: { kind: 'device', deviceId: clientId } };
  };
}
