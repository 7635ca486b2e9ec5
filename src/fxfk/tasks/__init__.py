"""The task table over time: working days with official holidays, deadlines, each task's status on
a given date, and guidance on what to do next. It builds on load and models; it must not import
rules (the task-table checks in :mod:`fxfk.rules.repository` use :mod:`.deadline`), render,
publish, report, diff, edit or cli (``tests/test_architecture.py`` lists the rendering still left
here for step 2 of issue 14).
"""
