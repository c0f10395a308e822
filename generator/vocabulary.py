"""The closed vocabularies of the knowledge base (levels, kinds, statuses, roles, units …).

Shared by the file schema (which parses them) and the domain model (which means them), so that
render and export never import the schema to name a unit or a role.
"""

# Transitional: the definitions move here from generator.source.schema in the restructuring.
from generator.source.schema import (
    NUMERIC_UNITS,
    Kind,
    Level,
    Period,
    Role,
    Script,
    Status,
    StepKind,
    Unit,
)

__all__ = ["NUMERIC_UNITS", "Kind", "Level", "Period", "Role", "Script", "Status", "StepKind",
           "Unit"]
