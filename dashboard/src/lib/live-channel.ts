import { LIVE_CLOSE_CODES, LIVE_PATH, liveServerMessageSchema, type LiveClientMessage, type LiveServerMessage } from '@airfleet/contracts';

export type LiveStatus = 'connecting' | 'open' | 'closed';

export interface LiveChannelEvents {
  /** Every server message, parsed with the contracts schema. */
  message: (message: LiveServerMessage) => void;
  /** The socket came back after a drop: anything shown may have missed updates, refetch it. */
  reconnected: () => void;
  /** The server ended the socket because the session is gone. */
  sessionEnded: () => void;
  /** The upgrade failed (no open): maybe the session expired; the owner checks over HTTP. */
  connectFailed: () => void;
}

/**
 * One WebSocket per tab, reconnecting with capped exponential backoff and jitter so a
 * platform restart is not met by every browser at the same instant.
 */
export class LiveChannel {
  #ws: WebSocket | null = null;
  #status: LiveStatus = 'closed';
  #stopped = true;
  #attempt = 0;
  #everOpened = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #interest: string[] | null = null;
  readonly #url: string;
  readonly #listeners: { [K in keyof LiveChannelEvents]: Set<LiveChannelEvents[K]> } = {
    message: new Set(),
    reconnected: new Set(),
    sessionEnded: new Set(),
    connectFailed: new Set(),
  };
  readonly #statusListeners = new Set<() => void>();

  constructor(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${LIVE_PATH}`) {
    this.#url = url;
  }

  get status(): LiveStatus {
    return this.#status;
  }

  on<K extends keyof LiveChannelEvents>(event: K, listener: LiveChannelEvents[K]): () => void {
    this.#listeners[event].add(listener);
    return () => this.#listeners[event].delete(listener);
  }

  onStatus(listener: () => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#ws?.close(1000, 'bye');
    this.#ws = null;
    this.#setStatus('closed');
  }

  /** Telemetry/status for these devices only; null = every device the user may see. */
  setInterest(deviceIds: string[] | null): void {
    this.#interest = deviceIds;
    this.#send({ type: 'subscribe', deviceIds });
  }

  #send(message: LiveClientMessage): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
  }

  #setStatus(status: LiveStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    for (const l of this.#statusListeners) l();
  }

  #connect(): void {
    this.#setStatus('connecting');
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.#attempt = 0;
      this.#setStatus('open');
      if (this.#interest) this.#send({ type: 'subscribe', deviceIds: this.#interest });
      if (this.#everOpened) for (const l of this.#listeners.reconnected) l();
      this.#everOpened = true;
    };
    ws.onmessage = (event) => {
      let data: unknown;
      try {
        data = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const parsed = liveServerMessageSchema.safeParse(data);
      if (!parsed.success) return;
      for (const l of this.#listeners.message) l(parsed.data);
    };
    ws.onclose = (event) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#setStatus('closed');
      if (this.#stopped) return;
      if (event.code === LIVE_CLOSE_CODES.sessionEnded) {
        for (const l of this.#listeners.sessionEnded) l();
        return;
      }
      if (!opened) for (const l of this.#listeners.connectFailed) l();
      const delay = Math.min(30_000, 1000 * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
      this.#attempt += 1;
      this.#timer = setTimeout(() => this.#connect(), delay);
    };
  }
}
