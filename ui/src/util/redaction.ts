import type { Redaction } from '../api/types'

/// A point in screen pixels (clientX/clientY of a mouse event).
export type Point = { x: number; y: number }

/// Where the page image is on screen (getBoundingClientRect of the image).
export type Frame = { left: number; top: number; width: number; height: number }

/// Boxes smaller than this (as a fraction of the page) are a click, not a drag.
export const MIN_BOX = 0.005

const clamp01 = (v: number) => Math.min(1, Math.max(0, v))

/// A point on the page as fractions of its width and height (origin top-left), kept on the page
/// when the mouse left it.
export function toFraction(point: Point, frame: Frame): Point {
  if (frame.width <= 0 || frame.height <= 0) return { x: 0, y: 0 }
  return {
    x: clamp01((point.x - frame.left) / frame.width),
    y: clamp01((point.y - frame.top) / frame.height),
  }
}

/// The box a drag from `start` to `end` (screen pixels, in any direction) draws over the page,
/// as fractions 0..1 of the page; null when it is too small to be meant (a click).
export function dragToBox(start: Point, end: Point, frame: Frame): Redaction | null {
  const a = toFraction(start, frame)
  const b = toFraction(end, frame)
  const box = {
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    width: Math.abs(a.x - b.x),
    height: Math.abs(a.y - b.y),
  }
  if (box.width < MIN_BOX || box.height < MIN_BOX) return null
  return roundBox(box)
}

/// Four decimals (a tenth of a millimetre on A4) are enough, and keep x + width within 1.
export function roundBox(box: Redaction): Redaction {
  const r = (v: number) => Math.round(v * 10000) / 10000
  const x = clamp01(r(box.x))
  const y = clamp01(r(box.y))
  return { x, y, width: Math.min(r(box.width), 1 - x), height: Math.min(r(box.height), 1 - y) }
}

/// CSS placing a box over the shown page (absolute, in percent of the page's frame).
export function boxStyle(box: Redaction): Record<string, string> {
  return {
    left: `${box.x * 100}%`,
    top: `${box.y * 100}%`,
    width: `${box.width * 100}%`,
    height: `${box.height * 100}%`,
  }
}
