"""The public view: the only data a public list is ever rendered from (附件1 二（四）).

Computed from the registers for a publication date, frozen, and holding public fields only; the
renderers in ``fxfk.render`` and the ``fxfk.publish`` command read it. Imports nothing from
render/, publish/, report/ or cli/.
"""
