"""Reading a data repository: the one YAML loader (with its fast path), the per-file cache, the
models' error messages, the facts cross-file checks read, and the :class:`Repository` every command
starts from. It imports only :mod:`fxfk.models`, :mod:`fxfk.errors` and :mod:`fxfk.diagnostics`,
never rules, tasks, render, publish, report, diff, edit or cli (``tests/test_architecture.py``
lists the one import that still breaks this, which step 2 of issue 14 removes).
"""
