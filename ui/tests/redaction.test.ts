import { describe, expect, it } from 'vitest'
import { boxStyle, dragToBox, roundBox, toFraction } from '../src/util/redaction'

/// A page shown 400×600 pixels, 100 px from the left and 50 px from the top of the window.
const frame = { left: 100, top: 50, width: 400, height: 600 }

describe('redaction boxes', () => {
  it('turns a drag in screen pixels into fractions of the page, origin top-left', () => {
    expect(dragToBox({ x: 200, y: 110 }, { x: 400, y: 170 }, frame)).toEqual({
      x: 0.25,
      y: 0.1,
      width: 0.5,
      height: 0.1,
    })
  })

  it('gives the same box whichever way the mouse was dragged', () => {
    const down = dragToBox({ x: 200, y: 110 }, { x: 400, y: 170 }, frame)
    expect(dragToBox({ x: 400, y: 170 }, { x: 200, y: 110 }, frame)).toEqual(down)
    expect(dragToBox({ x: 400, y: 110 }, { x: 200, y: 170 }, frame)).toEqual(down)
  })

  it('clamps a drag that leaves the page to the page’s edges (0..1)', () => {
    const box = dragToBox({ x: 20, y: 0 }, { x: 900, y: 2000 }, frame)
    expect(box).toEqual({ x: 0, y: 0, width: 1, height: 1 })
    expect(toFraction({ x: -50, y: 700 }, frame)).toEqual({ x: 0, y: 1 })
    const right = dragToBox({ x: 300, y: 350 }, { x: 650, y: 100 }, frame)!
    expect(right.x + right.width).toBeLessThanOrEqual(1)
    expect(right).toEqual({ x: 0.5, y: 0.0833, width: 0.5, height: 0.4167 })
  })

  it('takes a click (no real drag) for no box', () => {
    expect(dragToBox({ x: 200, y: 200 }, { x: 200, y: 200 }, frame)).toBeNull()
    expect(dragToBox({ x: 200, y: 200 }, { x: 201, y: 300 }, frame)).toBeNull()
  })

  it('never lets a rounded box reach past the page', () => {
    const box = roundBox({ x: 0.66666, y: 0.99999, width: 0.33334, height: 0.2 })
    expect(box.x + box.width).toBeLessThanOrEqual(1)
    expect(box.y + box.height).toBeLessThanOrEqual(1)
  })

  it('places a saved box over the page in percent', () => {
    expect(boxStyle({ x: 0.25, y: 0.1, width: 0.5, height: 0.05 })).toEqual({
      left: '25%',
      top: '10%',
      width: '50%',
      height: '5%',
    })
  })
})
