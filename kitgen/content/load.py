"""YAML → content model.

Reads every file under a content folder with a safe YAML loader that remembers the
line of every mapping and key, validates each document against ``kitgen.content.model``,
and turns every problem into a :class:`~kitgen.core.findings.Finding` that names the
file, line and field. Loading never raises for a content mistake: it returns what
it could load together with the findings, so one broken file does not hide the
problems of the others.
"""


from __future__ import annotations

import hashlib
from pathlib import Path

from kitgen.core.findings import Finding
from kitgen.content.loadcache import FileResults, entry_key
from kitgen.content.model import (
    Content,
    ContentMeta,
    Definition,
    Model,
    Org,
    Programme,
    ProgrammeVariant,
    QuestionGroup,
    QuoteFile,
    RolePlay,
    Tool,
)
from kitgen.content.validation_errors import _check_text, validate_document
from kitgen.content.yamlfile import YamlProblem, display_path, read_yaml
from kitgen.content.schedule import resolve_programmes


def yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_content(root: Path) -> tuple[Content, list[Finding]]:
    """Load every file under ``root``; return the content and the findings of loading."""
    root = Path(root)
    content = Content.model_construct(root=str(root), meta=ContentMeta.model_construct())  # nothing to validate
    findings: list[Finding] = []
    if not root.is_dir():
        findings.append(Finding("error", "file/missing", "content folder does not exist", display_path(root)))
        return content, findings

    results = FileResults(root)

    def each(folder: str, model):
        """Validated objects of one folder; ``model`` is a class, or a function choosing one per document."""
        for path in yaml_files(root / folder):
            obj, problems = _load_file(path, model, folder, content.sources, results)
            findings.extend(problems)
            if obj is not None:
                yield path, obj

    def register(table: dict, obj: Model, kind: str, field: str = "id") -> None:
        key = getattr(obj, field)
        if key in table:
            first = table[key].origin
            findings.append(Finding(
                "error", "content/duplicate-id",
                f"{kind} id '{key}' is defined twice; first at {first}",
                obj.origin.file, obj.line_of(field), field))
            return
        table[key] = obj

    meta_file = root / "content.yaml"
    if meta_file.is_file():
        meta, problems = _load_file(meta_file, ContentMeta, "content.yaml", content.sources, results)
        findings.extend(problems)
        if meta is not None:
            content.meta = meta
    for _, tool in each("tools", Tool):
        register(content.tools, tool, "tool")
    for _, group in each("questions", QuestionGroup):
        register(content.question_groups, group, "question group")
        for question in group.questions:
            register(content.questions, question, "question")
    for _, quote_file in each("quotes", QuoteFile):
        for quote in quote_file.quotes:
            register(content.quotes, quote, "quote")
    for _, roleplay in each("roleplays", RolePlay):
        register(content.roleplays, roleplay, "role-play")
    for _, definition in each("definitions", Definition):
        register(content.definitions, definition, "definition")
    def programme_or_variant(data):
        return ProgrammeVariant if isinstance(data, dict) and "extends" in data else Programme

    for _, programme in each("programmes", programme_or_variant):
        if isinstance(programme, ProgrammeVariant):
            if programme.id in content.programmes:
                register(content.programmes, programme, "programme")  # reports the duplicate id
            else:
                register(content.variants, programme, "programme")
        elif programme.id in content.variants:
            register(content.variants, programme, "programme")  # reports the duplicate id
        else:
            register(content.programmes, programme, "programme")
    for path, org in each("orgs", Org):
        if org.id != path.stem:
            findings.append(Finding(
                "error", "org/file-name",
                f"org id '{org.id}' does not match its file name '{path.name}'; name the file {org.id}.yaml",
                org.origin.file, org.line_of("id"), "id"))
            continue
        register(content.orgs, org, "organisation")

    results.close()
    findings.extend(resolve_programmes(content))
    return content, findings


def _load_file(path: Path, model, kind: str, sources: dict[str, str], results: FileResults):
    """One file's validated object (or None) and its findings: parsed now, or kept from a
    load of the same bytes (:mod:`kitgen.content.loadcache`)."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError:
        raw = None  # read_yaml says what is wrong, with the file's name
    key = None
    if raw is not None:
        digest = hashlib.sha256(raw).hexdigest()
        key = entry_key(shown, digest, kind)
        kept = results.get(key)
        if kept is not None:
            sources[shown] = digest
            return kept
    try:
        data = read_yaml(path, sources, raw)
    except YamlProblem as problem:
        value = (None, [problem.finding])
    else:
        problems: list[Finding] = []
        _check_text(data, shown, data, (), problems)
        if problems:
            value = (None, problems)
        else:
            chosen = model if isinstance(model, type) else model(data)
            value = validate_document(chosen, data, path)
    if key is not None:
        results.put(key, value)
    return value


def load_programme_file(path: Path) -> tuple[Programme | None, list[Finding]]:
    """Load a single programme file (used for checking a programme on its own)."""
    try:
        data = read_yaml(path)
    except YamlProblem as problem:
        return None, [problem.finding]
    return validate_document(Programme, data, path)
