/**
 * Port to wherever device credentials live. The gateway only ever needs one row per device:
 * the stored token hash (see @airfleet/runtime device-token-hash) and whether the device may
 * connect at all. Implementations: in-memory (tests, tools) and PostgreSQL.
 */
export interface DeviceCredential {
  tokenHash: string;
  enabled: boolean;
}

export interface CredentialStore {
  /** The credential of a device, or null when the device (or its credential) does not exist. */
  lookup(deviceId: string): Promise<DeviceCredential | null>;
  /**
   * Replaces a device's hash only while it is still `expectedHash`: the gateway upgrades an old
   * scheme after the token has matched, and a rotation that happened meanwhile must win.
   * True when the row was changed.
   */
  upgradeHash(deviceId: string, expectedHash: string, newHash: string): Promise<boolean>;
}

export interface MemoryCredentialStore extends CredentialStore {
  set(deviceId: string, credential: DeviceCredential): void;
  delete(deviceId: string): void;
}

export function createMemoryCredentialStore(initial: Iterable<[string, DeviceCredential]> = []): MemoryCredentialStore {
  const rows = new Map<string, DeviceCredential>();
  for (const [deviceId, credential] of initial) rows.set(deviceId, { ...credential });
  return {
    async lookup(deviceId) {
      const row = rows.get(deviceId);
      // A copy, so a caller cannot mutate the stored row through the result.
      return row ? { ...row } : null;
    },
    async upgradeHash(deviceId, expectedHash, newHash) {
      const row = rows.get(deviceId);
      if (!row || row.tokenHash !== expectedHash) return false;
      rows.set(deviceId, { ...row, tokenHash: newHash });
      return true;
    },
    set(deviceId, credential) {
      rows.set(deviceId, { ...credential });
    },
    delete(deviceId) {
      rows.delete(deviceId);
    },
  };
}
