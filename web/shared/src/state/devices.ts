// What a cloud phone's state allows, mirroring the device service's state machine
// (src/services/device/state_machine.cpp). The server decides; this only enables buttons.
import type { DeviceState } from '../api/types';

export type DeviceAction = 'start' | 'stop' | 'restart' | 'remove';

export function canDo(action: DeviceAction, state: DeviceState): boolean {
  switch (action) {
    case 'start': return state === 'stopped' || state === 'error';
    case 'stop': return state === 'booting' || state === 'running' || state === 'error';
    case 'restart': return state === 'running' || state === 'error';
    case 'remove': return state !== 'deleted';
  }
}

/** States a device leaves by itself: the list is re-read until none is left in one. */
export function isTransitional(state: DeviceState): boolean {
  return state === 'creating' || state === 'booting' || state === 'stopping';
}

/** The selected devices an action applies to, and those it skips (with their states). */
export function batchPlan<T extends { id: string; state: DeviceState }>(action: DeviceAction, selected: T[]) {
  const apply = selected.filter((d) => canDo(action, d.state));
  const skip = selected.filter((d) => !canDo(action, d.state));
  return { apply, skip };
}

export const STATE_COLORS: Record<DeviceState, string> = {
  creating: 'processing',
  booting: 'processing',
  running: 'success',
  stopping: 'warning',
  stopped: 'default',
  error: 'error',
  deleted: 'default',
};
