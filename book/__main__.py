"""``python -m book``: the command line, as a process of its own.

A build allocates millions of small objects that live to the end of the process, so the cyclic
garbage collector runs far less often here than its default (every million new objects): its
collections took about a tenth of a one-chapter rebuild. That suits a one-shot process, not a
library, so it is set here, not in :func:`.cli.main`.
"""

import gc
import sys

from book.cli import main

gc.set_threshold(1_000_000, 50, 100)
sys.exit(main())
