// Restores the window where the user left it, unless that place is no longer on any screen.
import type { WindowBounds } from '../preferences/schema.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE = { width: 1100, height: 760 };

/** At least this much of the title bar must be visible on some display. */
const MIN_VISIBLE = 48;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** Saved bounds that are still reachable, else the default size (centred by the OS). */
export function restoreBounds(saved: WindowBounds | undefined, workAreas: Rect[]): WindowBounds {
  if (!saved) return { ...DEFAULT_WINDOW_SIZE };
  if (saved.x === undefined || saved.y === undefined) return { width: saved.width, height: saved.height, maximized: saved.maximized };
  const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: MIN_VISIBLE };
  const visible = workAreas.some((area) => {
    const { width, height } = overlap(titleBar, area);
    return width >= MIN_VISIBLE && height > 0;
  });
  if (visible) return saved;
  return { width: Math.min(saved.width, DEFAULT_WINDOW_SIZE.width), height: Math.min(saved.height, DEFAULT_WINDOW_SIZE.height), maximized: saved.maximized };
}
