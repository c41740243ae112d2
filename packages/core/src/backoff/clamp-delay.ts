/** Largest delay `setTimeout` honours (2^31 - 1 ms); longer ones fire after 1 ms in Node. */
export const MAX_DELAY_MS = 2_147_483_647;

/**
 * A usable cap: NaN or `<= 0` gives 0; anything above {@link MAX_DELAY_MS} (Infinity included)
 * gives {@link MAX_DELAY_MS}.
 */
export function sanitizeCapMs(capMs: number): number {
  if (Number.isNaN(capMs) || capMs <= 0) return 0;
  return Math.min(capMs, MAX_DELAY_MS);
}

/**
 * Makes any value a safe wait in `[0, cap]` (cap sanitised with {@link sanitizeCapMs}): NaN gives
 * the cap (a broken strategy must not turn into a retry loop with no wait), below 0 gives 0,
 * above the cap (Infinity included) gives the cap.
 */
export function clampDelay(delayMs: number, capMs: number): number {
  const cap = sanitizeCapMs(capMs);
  if (Number.isNaN(delayMs)) return cap;
  return Math.min(cap, Math.max(0, delayMs));
}
