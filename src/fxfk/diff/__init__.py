"""Comparing the registers at two git revisions (``fxfk diff``): reading both sides through load,
running the rules on each, and reporting what changed. Only cli imports it; it must not import cli,
publish or report.
"""
