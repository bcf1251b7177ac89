"""The contract version and its identifier and period patterns, shared by the models
and the path layout.

Kept apart from `model` so that commands that only read paths (`available`) do not pay
for importing pydantic.
"""

from bedcap.contract.columns import namen

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,39}$"
KWARTAAL_PATTERN = r"^[0-9]{4}Q[1-4]$"
MAAND_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"

# Version of the data contract; Parquet files carry it as `bedcap.schema_version`.
SCHEMA_VERSION = 1

# The columns of a daily snapshot in file order, derived from the one column table
# (`columns.KOLOMMEN`; a test holds `model.SnapshotRij` to it).
COUNT_COLUMNS = namen("geheel", behalve=("beveiligingsniveau",))
STRING_COLUMNS = namen("tekst", behalve=("toelichting",))
SNAPSHOT_COLUMNS = namen()
SNAPSHOT_TOELICHTING_MAX = 280
"""The longest note a snapshot row may carry (here, not in `model`: the snapshot rules
run without pydantic)."""
