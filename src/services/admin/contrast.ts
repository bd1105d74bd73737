/**
 * WCAG 2.2 contrast (SC 1.4.3, "Contrast (Minimum)", level AA): 4.5:1 for normal text. The
 * primary colour is the background of the prompt's Accept button, whose text is white.
 */
export const AA_NORMAL_TEXT = 4.5

/** Relative luminance of an sRGB colour `#rrggbb` (WCAG 2.2, "relative luminance"). */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** The contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}
