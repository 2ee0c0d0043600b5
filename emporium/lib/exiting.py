"""Work to do when a process stops cleanly, in a plain interpreter and in a granian worker alike.

Granian runs each worker as a `multiprocessing.Process`: on SIGTERM or SIGINT the worker's
target returns and multiprocessing ends the process with `os._exit`, which skips Python's
`atexit` hooks. What it does run first are multiprocessing's own exit finalizers
(`multiprocessing.util.Finalize` with an exit priority). A plain interpreter runs those too:
multiprocessing.util registers them with `atexit`. So one registration covers both, and a
hook runs once either way. (uvicorn's workers are multiprocessing processes as well.)
"""

from collections.abc import Callable
from multiprocessing import util

# Above the default of 0, so our hooks run before multiprocessing joins child processes.
PRIORITY = 10


def on_clean_exit(hook: Callable[[], object]) -> None:
    """Run `hook` when this process exits cleanly (not on SIGKILL or a crash)."""
    # Registered in the process that will exit: a forked worker starts with an empty registry.
    util.Finalize(None, hook, exitpriority=PRIORITY)
