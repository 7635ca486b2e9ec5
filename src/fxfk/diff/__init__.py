"""Comparing the registers at two git revisions (``fxfk diff``): ``git`` reads each side's files,
``side`` loads and checks them, ``compare`` finds what changed into a ``report.DiffReport``; the
renderers are ``fxfk.render.diff``. It must not import cli, publish or report.
"""
