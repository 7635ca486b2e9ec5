"""Commands that write into a data repository: scaffolding a new repository or register
(``fxfk init``, ``fxfk new``) and rewriting level lines in place (``fxfk classify --write``). Only
cli imports it; it must not import cli, render, publish, report or diff.
"""
