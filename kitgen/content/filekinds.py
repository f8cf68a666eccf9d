"""The kinds of content file, listed once: what a kind is called (``kitgen schema --kind``), where its files
live under ``content/`` and the model class(es) of :mod:`kitgen.content.model` a file of it is one of.

Plain data (no model is imported here), so the command line can offer the kinds without loading pydantic;
:mod:`kitgen.content.schema` turns the names into classes."""

from __future__ import annotations

FILE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {  # kind -> (its folder, or content.yaml; model names)
    "content": ("content.yaml", ("ContentMeta",)),
    "tool": ("tools", ("Tool",)),
    "questions": ("questions", ("QuestionGroup",)),
    "quotes": ("quotes", ("QuoteFile",)),
    "roleplay": ("roleplays", ("RolePlay",)),
    "definition": ("definitions", ("Definition",)),
    "programme": ("programmes", ("Programme", "ProgrammeVariant")),  # a variant: a file with 'extends'
    "org": ("orgs", ("Org",)),
}
FOLDERS: dict[str, str] = {folder: kind for kind, (folder, _) in FILE_KINDS.items() if not folder.endswith(".yaml")}
# Folders in which a block's ids are looked up (a file added there may define a duplicate id): all but the profiles.
ID_FOLDERS = tuple(folder for folder, kind in FOLDERS.items() if kind != "org")


def where(kind: str) -> str:
    """The files of ``kind`` under content/, as a glob (``tools/*.yaml``)."""
    folder = FILE_KINDS[kind][0]
    return folder if folder.endswith(".yaml") else f"{folder}/*.yaml"
