"""``python -m book``: the command line, as a process of its own."""

import sys

from book.cli import main

sys.exit(main())
