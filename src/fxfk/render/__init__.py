"""Turning computed results into formats: escaping for each output format, diagnostics as text,
JSON, JUnit, GitHub annotations and Markdown, the Jinja templates, DOCX, CSV and XLSX. Renderers
take results and compute no rule; they must not import publish, report, diff, edit or cli
(``tests/test_architecture.py`` lists the imports of :mod:`fxfk.publish` still left here for step 2
of issue 14).
"""
