/** Time for the scheduler, passed in so tests can move it instead of waiting for real days. */

export interface Clock {
  now(): Date;
  /** Calls `fn` after `ms`; returns the cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** Longest delay setTimeout accepts; longer waits are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;

/** The real clock. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(fn, ms) {
    let timer: NodeJS.Timeout;
    const arm = (left: number) => {
      timer = setTimeout(() => (left > MAX_DELAY ? arm(left - MAX_DELAY) : fn()), Math.min(Math.max(0, left), MAX_DELAY));
      timer.unref?.();
    };
    arm(ms);
    return () => clearTimeout(timer);
  },
};
