import { useQuery } from '@tanstack/react-query';
import { engagementResponseSchema } from '@airfleet/contracts';
import { api } from '../../../lib/api-client.ts';

export function useEngagement() {
  return useQuery({
    queryKey: ['insights', 'engagement'],
    queryFn: ({ signal }) => api.get('/api/insights/engagement', engagementResponseSchema, signal),
    staleTime: 5 * 60_000,
  });
}
