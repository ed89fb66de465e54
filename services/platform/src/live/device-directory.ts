import type { Logger } from '@airfleet/runtime';
import type { DeviceDirectoryRepository } from './device-directory.repository.ts';

export interface DeviceDirectoryOptions {
  repo: DeviceDirectoryRepository;
  clock: () => number;
  log: Logger;
  /** Reload the whole map at least this often (catches devices moved between sites/customers). */
  maxAgeMs?: number;
  /** A miss (a device created after the last load) reloads, but not more often than this. */
  minReloadIntervalMs?: number;
}

/**
 * In-memory device → customer map for the live fan-out, which runs on every committed batch
 * and must not query the database per message. Lookups are synchronous; a miss or an old map
 * schedules a reload in the background. A device missing from the map is treated as
 * belonging to nobody: customer users get nothing for it until the reload lands (fail closed).
 */
export function createDeviceDirectory({ repo, clock, log, maxAgeMs = 60_000, minReloadIntervalMs = 1_000 }: DeviceDirectoryOptions) {
  let owners = new Map<string, string>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;

  const reload = (): Promise<void> => {
    if (loading) return loading;
    lastAttemptAt = clock();
    loading = repo
      .listOwners()
      .then((map) => {
        owners = map;
        loadedAt = clock();
      })
      .catch((err: unknown) => log.warn({ err }, 'live: device directory reload failed'))
      .finally(() => {
        loading = null;
      });
    return loading;
  };

  const maybeReload = (miss: boolean): void => {
    const now = clock();
    if (loading || now - lastAttemptAt < minReloadIntervalMs) return;
    if (miss || now - loadedAt > maxAgeMs) void reload();
  };

  return {
    /** Loads the map; the first connection waits for it so it never sees an empty directory. */
    reload,
    customerOf(deviceId: string): string | undefined {
      const owner = owners.get(deviceId);
      maybeReload(owner === undefined);
      return owner;
    },
    get size(): number {
      return owners.size;
    },
  };
}
export type DeviceDirectory = ReturnType<typeof createDeviceDirectory>;
