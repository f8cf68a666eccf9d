"""Id patterns, kept apart from the model so the command line can check an id without loading pydantic."""

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$"
ORG_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
