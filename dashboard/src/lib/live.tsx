import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { LiveServerMessage } from '@airfleet/contracts';
import { endSession, meQueryKey } from './auth.ts';
import { LiveChannel, type LiveStatus } from './live-channel.ts';

const LiveContext = createContext<LiveChannel | null>(null);

/** Opens the live channel for a signed-in user and closes it on sign-out. */
export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [channel] = useState(() => new LiveChannel());

  useEffect(() => {
    if (!enabled) return;
    channel.start();
    const offs = [
      channel.on('sessionEnded', () => endSession(queryClient)),
      // The upgrade may have failed for lack of a session: let /me decide.
      channel.on('connectFailed', () => void queryClient.invalidateQueries({ queryKey: meQueryKey })),
    ];
    return () => {
      for (const off of offs) off();
      channel.stop();
    };
  }, [enabled, channel, queryClient]);

  return <LiveContext.Provider value={channel}>{children}</LiveContext.Provider>;
}

function useChannel(): LiveChannel {
  const channel = useContext(LiveContext);
  if (!channel) throw new Error('useChannel outside LiveProvider');
  return channel;
}

export function useLiveStatus(): LiveStatus {
  const channel = useChannel();
  return useSyncExternalStore(
    (cb) => channel.onStatus(cb),
    () => channel.status,
  );
}

/**
 * Calls `onMessage` for every live message and `onReconnected` after a drop (refetch then).
 * The handlers may change between renders without re-subscribing.
 */
export function useLiveMessages(onMessage: (message: LiveServerMessage) => void, onReconnected?: () => void): void {
  const channel = useChannel();
  const handlers = useRef({ onMessage, onReconnected });
  useEffect(() => {
    handlers.current = { onMessage, onReconnected };
  });
  useEffect(() => {
    const offMessage = channel.on('message', (m) => handlers.current.onMessage(m));
    const offReconnect = channel.on('reconnected', () => handlers.current.onReconnected?.());
    return () => {
      offMessage();
      offReconnect();
    };
  }, [channel]);
}
