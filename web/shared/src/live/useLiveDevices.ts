import { useEffect, useRef, useState } from 'react';
import type { Api } from '../api/endpoints';
import type { Device } from '../api/types';
import { applyDeviceEvent } from './events';
import { useLiveEvents } from './useLiveEvents';

/**
 * A device list kept current by live events: `loaded` is the last list read from the API; device
 * events patch it in place, and when one cannot be applied (a new device, a reconnect) `reload`
 * reads the list again (at most once per 300 ms).
 */
export function useLiveDevices(api: Api, loaded: Device[] | undefined, reload: () => void) {
  const [items, setItems] = useState<Device[]>(loaded ?? []);
  const pending = useRef<number | null>(null);
  useEffect(() => { setItems(loaded ?? []); }, [loaded]);
  useEffect(() => () => { if (pending.current !== null) window.clearTimeout(pending.current); }, []);
  const status = useLiveEvents(api, (e) => {
    setItems((current) => {
      const next = applyDeviceEvent(current, e);
      if (next !== 'reload') return next;
      if (pending.current === null) {
        pending.current = window.setTimeout(() => { pending.current = null; reload(); }, 300);
      }
      return current;
    });
  });
  return { items, status };
}
