import { useQuery } from '@tanstack/react-query';
import { judgmentsResponseSchema } from '@airfleet/contracts';
import { api, isApiError, withQuery } from '../../../lib/api-client.ts';

/** A machine's judgments, newest first; null when this server has no judgments API. */
export function useDeviceJudgments(deviceId: string) {
  return useQuery({
    queryKey: ['judgments', deviceId],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(withQuery(`/api/devices/${encodeURIComponent(deviceId)}/judgments`, { limit: 20 }), judgmentsResponseSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
  });
}
