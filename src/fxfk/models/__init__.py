"""Pydantic models for every file of a data repository (see shared/spec/data-format.md).

The models check *shape*: types, required fields, enumerations, unknown keys. Rules that relate
fields or files to each other live in :mod:`fxfk.rules.repository`, each as a named function.
"""

from fxfk.models.enums import (
    ActivityKind,
    BasisRole,
    LawRank,
    Level,
    MeasureKind,
    OfficeKind,
    Status,
)
from fxfk.models.laws import Law, LawCatalogue
from fxfk.models.register import (
    Activity,
    Basis,
    Batch,
    Causes,
    Consultation,
    DiscretionTier,
    Factors,
    Measure,
    Office,
    Register,
    Risk,
)
from fxfk.models.settings import Settings
from fxfk.models.tasks import Score, Task, TaskTable

__all__ = [
    "Activity", "ActivityKind", "Basis", "BasisRole", "Batch", "Causes", "Consultation",
    "DiscretionTier", "Factors", "Law", "LawCatalogue", "LawRank", "Level", "Measure",
    "MeasureKind", "Office", "OfficeKind", "Register", "Risk", "Score", "Settings", "Status",
    "Task", "TaskTable",
]
