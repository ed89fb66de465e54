import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { LiveServerMessage } from '@airfleet/contracts';
import { useLiveMessages } from './live.tsx';

type DomainMessage = Extract<LiveServerMessage, { type: 'domain' }>;

/**
 * Refetches `queryKey` when a live domain notification matches (an alarm raised, a work order
 * changed, a device acknowledged a judgment), after a resync and after a reconnect. Bursts are
 * coalesced into one request: one completed work order emits several notifications at once.
 */
export function useLiveRefetch(queryKey: QueryKey, matches: (message: DomainMessage) => boolean, delayMs = 300): void {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const key = useRef(queryKey);
  useEffect(() => {
    key.current = queryKey;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  const refetchSoon = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void queryClient.invalidateQueries({ queryKey: key.current }), delayMs);
  };
  useLiveMessages((message) => {
    if (message.type === 'resync' || (message.type === 'domain' && matches(message))) refetchSoon();
  }, refetchSoon);
}
