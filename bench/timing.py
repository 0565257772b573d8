"""The clock and the rate() loop shared by bench/reference_numpy.py and bench/reference_torch.py.

They measure as bench/tasks.mjs rate() does for the TypeScript side: a warm-up of a third of the
time, then calls per second of the chosen clock. The scripts are run as
`/usr/bin/python3 bench/reference_*.py TASKS SECONDS [cpu|wall]`, so bench/ is on sys.path and
`from timing import rate, select_clock` finds this file. Imports only the standard library, so
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
