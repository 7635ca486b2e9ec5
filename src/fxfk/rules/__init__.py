"""The notice's rules and every check: one register's checks (:mod:`.register`), cross-file and
task-table checks (:mod:`.repository`), hotspot warnings, levels, personal data, the law catalogue,
classification, and :func:`.validation.validate` that runs them all. Rules compute typed results
(diagnostics and dataclasses) and never render them: they must not import render, publish, report,
diff, edit or cli (``tests/test_architecture.py`` lists the rendering still left here for step 2
of issue 14).
"""
