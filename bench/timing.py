"""The clock, the rate() loop and the GEMM measurement shared by bench/reference_numpy.py and bench/reference_torch.py.

They measure as bench/tasks.mjs rate() does for the TypeScript side: a warm-up of a third of the
time, then calls per second of the chosen clock. The scripts are run as
`/usr/bin/python3 bench/reference_*.py TASKS SECONDS [cpu|wall]`, so bench/ is on sys.path and
`from timing import …` finds this file. Imports only the standard library, so
it can be imported before numpy (reference_numpy.py sets the thread variables first).
"""
import time

CLOCK = time.process_time  # CPU time of this process (argv[3] "wall": elapsed time)


def select_clock(argv):
    """Sets the clock rate() reads from the command line: argv[3] "wall" is elapsed time
    (time.perf_counter), anything else or nothing this process's CPU time (time.process_time)."""
    global CLOCK
    CLOCK = time.perf_counter if len(argv) > 3 and argv[3] == "wall" else time.process_time
    return CLOCK


def rate(fn, seconds):
    """Calls per second of fn() over about `seconds`, after a warm-up of a third of that (at least 3 calls):
    the first calls in a process pay one-time costs (allocator growth, BLAS buffers) for a long time."""
    warmup_start, warmup_calls = CLOCK(), 0
    while warmup_calls < 3 or CLOCK() - warmup_start < seconds / 3:
        fn()
        warmup_calls += 1
    calls, start = 0, CLOCK()
    while True:
        fn()
        calls += 1
        elapsed = CLOCK() - start
        if elapsed >= seconds:
            return calls / elapsed


def gemm_gflops(a, b, transpose_a, transpose_b, seconds):
    """GFLOP/s of C = op(A)·op(B), 2·m·n·k operations a call: op(A) = Aᵀ when transpose_a (A stored [k, m]),
    A otherwise ([m, k]); op(B) = Bᵀ when transpose_b (B stored [n, k]), B otherwise ([k, n]).
    Works for numpy arrays and torch tensors alike (`.T` is a view, `@` the library's GEMM)."""
    op_a = a.T if transpose_a else a
    op_b = b.T if transpose_b else b
    (m, k), n = op_a.shape, op_b.shape[1]
    return 2 * m * n * k * rate(lambda: op_a @ op_b, seconds) / 1e9
