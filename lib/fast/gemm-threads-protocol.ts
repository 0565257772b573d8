/**
 * How the main thread and the GEMM worker talk (lib/fast/gemm-threads.ts, gemm-worker.ts):
 * through a small control block, an Int32Array on a SharedArrayBuffer, read and written only
 * with Atomics. Internal to lib/fast: not re-exported.
 *
 *   main:   writes the job's parameters, STATE = POSTED, JOB += 1, notify(JOB)
 *   worker: on a JOB change, compareExchange(STATE, POSTED → CLAIMED); if it won, computes its
 *           block, then STATE = DONE (or FAILED if the call threw) and notify(STATE)
 *   main:   after its own block, compareExchange(STATE, POSTED → TAKEN); if it won, the worker
 *           never started, so main computes that block too; else it waits while STATE is CLAIMED
 *
 * Exactly one thread wins each compareExchange, so each block is computed once.
 */

/** Slot: where the current job stands (one of the states below). */
export const STATE = 0;
/** Slot: a counter the main thread increments for each job; the worker sleeps on it. */
export const JOB = 1;
/** Slots PARAMS … PARAMS + 13: gemmBlock's 14 arguments (m, n, k, a, b, c, transposeA, …, colEnd). */
export const PARAMS = 2;
/** Int32 slots in the control block. */
export const CONTROL_LENGTH = PARAMS + 14;

export const IDLE = 0; // no job yet
export const POSTED = 1; // a block waits for the worker
export const CLAIMED = 2; // the worker is computing it
export const DONE = 3; // the worker finished it
export const TAKEN = 4; // the main thread took it back (the worker was not there yet)
export const FAILED = 5; // the worker's call threw: the main thread redoes the product alone
