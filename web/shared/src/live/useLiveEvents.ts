import { useEffect, useRef, useState } from 'react';
import type { Api } from '../api/endpoints';
import type { LiveEvent } from '../api/types';
import { LiveEvents, type LiveStatus } from './events';

const sources = new WeakMap<Api, LiveEvents>();

export function liveEventsFor(api: Api): LiveEvents {
  let s = sources.get(api);
  if (!s) {
    s = new LiveEvents(api.client);
    sources.set(api, s);
  }
  return s;
}

/** Calls `handler` with each live event while mounted; returns the connection status. */
export function useLiveEvents(api: Api, handler: (e: LiveEvent) => void): LiveStatus {
  const ref = useRef(handler);
  ref.current = handler;
  const src = liveEventsFor(api);
  const [status, setStatus] = useState<LiveStatus>(src.status);
  useEffect(() => {
    const offStatus = src.onStatus(setStatus);
    const off = src.subscribe((e) => ref.current(e));
    setStatus(src.status);
    return () => { off(); offStatus(); };
  }, [src]);
  return status;
}
