import { randomBytes } from 'node:crypto';
import type { CreateDeviceBody, Device } from '@airfleet/contracts';
import { newToken, type DeviceTokenHasher } from '@airfleet/runtime';
import type { DevicesRepository } from '../repositories/devices.repository.ts';
import {
  DeviceExistsError,
  InternalError,
  NotFoundError,
  ReservedDeviceIdError,
  SerialExistsError,
  UnknownModelError,
  UnknownSiteError,
} from './errors.catalogue.ts';

export interface DevicesServiceDeps {
  devices: DevicesRepository;
  /** Ids that must never become device identities (e.g. the ingest service's MQTT username). */
  reservedDeviceIds: readonly string[];
  /** HMAC under DEVICE_TOKEN_PEPPER, the form the gateway verifies (runtime device-token-hash). */
  tokenHasher: Pick<DeviceTokenHasher, 'hash'>;
  generateToken?: () => string;
  generateSerial?: (modelId: string) => string;
}

/** Serial numbers look like a nameplate's: model, then ten hex digits. */
function randomSerial(modelId: string): string {
  return `${modelId}-${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** Client-id prefix reserved for the platform's own MQTT clients. */
export const RESERVED_PREFIX = 'airfleet-';

/** Provisioning: the token is returned once and only its HMAC is stored. */
export function createDevicesService({
  devices,
  reservedDeviceIds,
  tokenHasher,
  generateToken = () => newToken(),
  generateSerial = randomSerial,
}: DevicesServiceDeps) {
  // MQTT usernames compare exactly, but refuse case variants too: they only invite confusion in logs and ACLs.
  const reserved = new Set(reservedDeviceIds.map((id) => id.toLowerCase()));

  return {
    async create(body: CreateDeviceBody): Promise<{ device: Device; token: string }> {
      // `airfleet-*` client ids belong to the platform's own MQTT sessions (ingest, publisher):
      // a device holding one could take a service session's client id after a broker restart.
      if (reserved.has(body.id.toLowerCase()) || body.id.toLowerCase().startsWith(RESERVED_PREFIX)) throw new ReservedDeviceIdError(body.id);
      const serial = body.serial ?? generateSerial(body.modelId);
      const token = generateToken();
      const result = await devices.createWithCredential({
        id: body.id,
        serial,
        modelId: body.modelId,
        siteId: body.siteId,
        tokenHash: tokenHasher.hash(token),
      });
      if (!result.ok) {
        switch (result.conflict) {
          case 'id':
            throw new DeviceExistsError(body.id);
          case 'serial':
            throw new SerialExistsError(serial);
          case 'model':
            throw new UnknownModelError(body.modelId);
          case 'site':
            throw new UnknownSiteError(body.siteId);
        }
      }
      const device = await devices.findById(body.id, null);
      if (!device) throw new InternalError();
      return { device, token };
    },

    /**
     * The old token stops working once its hash is overwritten (and the gateway's short cache
     * expires). Written as HMAC whatever the old row held; the gateway's conditional upgrade of
     * a legacy row cannot undo this, because it only replaces the exact hash it verified.
     */
    async rotateToken(deviceId: string): Promise<{ deviceId: string; token: string }> {
      const token = generateToken();
      const found = await devices.replaceCredential(deviceId, tokenHasher.hash(token));
      if (!found) throw new NotFoundError(`device ${deviceId}`);
      return { deviceId, token };
    },
  };
}
export type DevicesService = ReturnType<typeof createDevicesService>;
