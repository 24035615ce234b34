"""``python -m book``: the command line, as a process of its own.

Two settings that suit a one-shot build process (and would not suit a library, so they live
here, not in :func:`.cli.main`): the cyclic garbage collector runs far less often, since a
build allocates millions of small objects that live to the end (its collections took about a
tenth of a one-chapter rebuild; a collection every million new objects costs a few MiB of
garbage kept a little longer); and once the command has finished and its output is
flushed, the process ends without tearing its heap down object by object (another 0.2 s).
"""

import gc
import logging
import os
import sys
import threading

from book.cli import main

gc.set_threshold(1_000_000, 50, 100)
code = main()
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
if threading.active_count() == 1:  # nothing left running that a normal exit would wait for
    import atexit

    atexit._run_exitfuncs()
    os._exit(code)
sys.exit(code)
