"""Started with every ``python -m book`` a test runs: while a unit test runs, refuse builds."""

import os

if os.environ.get("BOOK_UNIT_TEST"):
    from unit_guard import install

    install()
