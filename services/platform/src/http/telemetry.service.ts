import type { TelemetryQuery, TelemetrySeries } from '@airfleet/contracts';
import type { CustomerScope, DevicesRepository } from '../repositories/devices.repository.ts';
import type { TelemetryQueryRepository } from '../repositories/telemetry-query.repository.ts';
import { NotFoundError, ValidationFailedError } from './errors.catalogue.ts';
import { chooseBucketWidth, DAY } from './telemetry-buckets.ts';

export interface TelemetryServiceDeps {
  devices: Pick<DevicesRepository, 'findById'>;
  telemetry: Pick<TelemetryQueryRepository, 'buckets'>;
  clock: () => number;
}

export function createTelemetryService({ devices, telemetry, clock }: TelemetryServiceDeps) {
  return {
    /**
     * Chart series over [from, to): at most `maxPoints` buckets, each with avg/min/max per
     * metric and the sample count. Buckets without samples are left out rather than sent
     * as nulls, so gaps in the data stay visible as gaps.
     */
    async series(deviceId: string, scope: CustomerScope, query: TelemetryQuery): Promise<TelemetrySeries> {
      // Same answer for "no such device" and "not yours" (OWASP API1).
      const device = await devices.findById(deviceId, scope);
      if (!device) throw new NotFoundError(`device ${deviceId}`);

      const to = query.to ?? clock();
      const from = query.from ?? to - DAY;
      if (from >= to) {
        throw new ValidationFailedError('from must be before to', [{ path: 'querystring.from', message: 'from must be before to' }]);
      }
      const bucketMs = chooseBucketWidth(from, to, query.maxPoints);
      const rows = await telemetry.buckets({ deviceId, fromMs: from, toMs: to, bucketMs, metrics: query.metrics });

      const series: TelemetrySeries['series'] = {};
      for (const key of query.metrics) series[key] = { avg: [], min: [], max: [] };
      for (const row of rows) {
        for (const key of query.metrics) {
          const target = series[key]!;
          const value = row.values[key];
          target.avg.push(value?.avg ?? null);
          target.min.push(value?.min ?? null);
          target.max.push(value?.max ?? null);
        }
      }
      return { deviceId, from, to, bucketMs, t: rows.map((r) => r.t), count: rows.map((r) => r.count), series };
    },
  };
}
export type TelemetryService = ReturnType<typeof createTelemetryService>;
