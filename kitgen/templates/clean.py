"""The one door every client Office file goes through before python-pptx or python-docx sees it.

A client's .pptx/.potx/.potm/.pptm or .docx/.dotx/.dotm is read from bytes and checked
as a zip *before* anything inflates it: member count, names (no ``..``, absolute or
backslash paths, duplicates — OPC part names are case-insensitive), total inflated size
and compression ratio (a zip bomb is refused by its central directory; ``zipfile`` never
returns more than an entry's declared size, so the declared sizes are a real bound).

Then, in memory:

* the main part is found through ``_rels/.rels`` (the officeDocument relationship), and
  the file's kind comes from that part's content type, not from the file name;
* a template or macro-enabled main content type (``…template.main+xml``,
  ``…macroEnabled…``) is rewritten to the plain one, which is all that stops
  python-pptx/python-docx from opening .potx/.dotx (they check that one string);
* macros are dropped: the ``vbaProject`` part(s), ``vbaData.xml``, and their
  relationships — otherwise they would be copied into every kit;
* external relationships are dropped (attached templates, linked images, OLE links,
  ``file://`` and UNC targets): Word and PowerPoint would fetch them on open. Web and
  mail hyperlinks stay. Attributes that referred to a dropped relationship are removed,
  and elements that exist only to hold such a reference (``w:attachedTemplate``,
  ``w:dataSource`` …) with them, so no dangling ``r:id`` remains.

Each drop is an info :class:`~kitgen.core.findings.Finding`; anything that stops the file
from being used is a :class:`PackageError` carrying an error finding.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from kitgen.core import cache
from kitgen.core.findings import Finding
from kitgen.templates.madelayouts import add_made_layouts

MAX_FILE_BYTES = 200 * 1024 * 1024        # the zip on disk
MAX_MEMBERS = 20_000                      # parts in the package
MAX_INFLATED_BYTES = 400 * 1024 * 1024    # all parts together, inflated
MAX_RATIO = 200                           # inflated / compressed, for any part over RATIO_FLOOR
RATIO_FLOOR = 5 * 1024 * 1024
CACHE_BYTES = 64 * 1024 * 1024            # cleaned packages kept in memory (one build reads each template thrice)

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = R_NS + "/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
VBA_TYPES = ("application/vnd.ms-office.vbaproject", "application/vnd.ms-word.vbadata+xml",
             "application/vnd.ms-office.vbaprojectsignature", "application/vnd.ms-word.keymapcustomizations+xml")
VBA_REL_MARKERS = ("/vbaproject", "/wordvbadata", "/vbaprojectsignature", "/keymapcustomizations")
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
# Elements whose only purpose is to hold a relationship reference: removed with it.
REFERENCE_ELEMENTS = {"attachedTemplate", "dataSource", "headerSource", "subDoc", "recipientData",
                      "control", "OLEObject"}  # p:control/w:control (ActiveX), o:OLEObject (its picture stays)
# Parts that run code or hold another program's objects: ActiveX controls and their binaries,
# OLE objects (any program's data, a "Package" can be an executable), macro-enabled documents
# embedded in the template. Left out with every relationship and reference to them.
ACTIVE_TYPES = ("application/vnd.ms-office.activex+xml", "application/vnd.ms-office.activex",
                "application/vnd.openxmlformats-officedocument.oleobject",
                "application/vnd.openxmlformats-officedocument.activex")
ACTIVE_REL_MARKERS = ("/control", "/activexcontrolbinary", "/oleobject")
# Word fields that fetch or run something outside the file when the document opens or a field
# updates: pictures and text from a path or URL (a UNC path sends the reader's Windows
# credentials), links to other programs' data, DDE (runs a program), an external database.
OUTSIDE_FIELDS = frozenset({"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "DATABASE"})
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_FIELD_DEPTH = 64  # nested fields deeper than this: the file is refused as damaged

PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAIN_TYPES = {
    PRESENTATION: ("pptx", "presentation"),
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": ("pptx", "template (.potx)"),
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": ("pptx", "slide show (.ppsx)"),
    "application/vnd.ms-powerpoint.presentation.macroenabled.main+xml": ("pptx", "macro-enabled presentation (.pptm)"),
    "application/vnd.ms-powerpoint.template.macroenabled.main+xml": ("pptx", "macro-enabled template (.potm)"),
    "application/vnd.ms-powerpoint.slideshow.macroenabled.main+xml": ("pptx", "macro-enabled slide show (.ppsm)"),
    DOCUMENT: ("docx", "document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": ("docx", "template (.dotx)"),
    "application/vnd.ms-word.document.macroenabled.main+xml": ("docx", "macro-enabled document (.docm)"),
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": ("docx", "macro-enabled template (.dotm)"),
}
PLAIN = {"pptx": PRESENTATION, "docx": DOCUMENT}
WHAT = {"pptx": "PowerPoint presentation (.pptx, .potx, .pptm, .potm)", "docx": "Word document (.docx, .dotx, .docm, .dotm)"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


class PackageError(Exception):
    """The file cannot be used as a client template; ``finding`` says why and what to do."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


@dataclass(frozen=True)
class CleanPackage:
    """A client file made safe to open: ``data`` is a plain .pptx/.docx package."""

    data: bytes
    kind: str          # "pptx" or "docx"
    was: str           # what the file was ("template (.potx)" …)
    digest: str        # sha256 of the original file's bytes
    findings: tuple[Finding, ...] = field(default=())

    def stream(self) -> io.BytesIO:
        """A fresh file-like object for ``Presentation(...)`` / ``Document(...)``."""
        return io.BytesIO(self.data)


@dataclass(frozen=True)
class Where:
    """Where findings about the file point (the org profile's line that names it, or the file)."""

    file: str | None
    line: int | None = None
    field: str | None = None


def clean_file(path: Path, expect: str | None = None, where: Where | None = None) -> CleanPackage:
    """Read ``path`` and clean it (see :func:`clean_bytes`); raises :class:`PackageError`."""
    path = Path(path)
    where = where or Where(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _error(where, "template/too-large", f"'{path.name}' is {size // 2**20} MB; a template may be at most "
                         f"{MAX_FILE_BYTES // 2**20} MB (compress its pictures in PowerPoint/Word)")
        data = path.read_bytes()
    except OSError as exc:
        raise _error(where, "template/unreadable", f"cannot read '{path.name}': {exc.strerror or exc}") from None
    return clean_bytes(data, path.name, expect, where)


def clean_bytes(data: bytes, name: str, expect: str | None = None, where: Where | None = None) -> CleanPackage:
    """Check and clean one Office package given as bytes; kept by the bytes' sha256. The findings
    point at ``where`` (each organisation's own profile line), never at where the file was first cleaned."""
    where = where or Where(name)
    digest = hashlib.sha256(data).hexdigest()
    key = (digest, name)
    package = _CACHE.pop(key, None) if cache.enabled() else None
    package = package or _kept_clean(data, name, where, digest)
    _CACHE[key] = package  # most recently used last
    while len(_CACHE) > 1 and (len(_CACHE) > 16 or sum(len(p.data) for p in _CACHE.values()) > CACHE_BYTES):
        _CACHE.pop(next(iter(_CACHE)))
    if expect and package.kind != expect:
        raise _error(where, "org/wrong-file-type", f"'{name}' is a {WHAT[package.kind].split(' (')[0]}, "
                     f"but a {WHAT[expect]} is needed here")
    return replace(package, findings=tuple(replace(f, file=where.file, line=where.line, field=where.field)
                                           for f in package.findings))


_CACHE: dict[tuple, CleanPackage] = {}  # (digest, name) -> package whose findings point nowhere


def _kept_clean(data: bytes, name: str, where: Where, digest: str) -> CleanPackage:
    """:func:`_clean`, kept between runs by the file's sha256 (:mod:`kitgen.core.cache`, "template"): the
    entry is the cleaned package's bytes after one JSON line of its facts (kind, what it was, the
    findings without a place). A file that cannot be used raises its finding every time (nothing is kept)."""
    made: list[CleanPackage] = []

    def make() -> bytes:
        made.append(_clean(data, name, where, digest))
        facts = {"kind": made[0].kind, "was": made[0].was, "digest": digest,
                 "findings": [[f.severity, f.rule, f.message] for f in made[0].findings]}
        return json.dumps(facts, ensure_ascii=True).encode() + b"\n" + made[0].data

    def facts_of(entry: bytes):
        head, _, body = entry.partition(b"\n")
        facts = json.loads(head)
        if facts["digest"] != digest or facts["kind"] not in PLAIN or not body:
            raise ValueError("another package")
        return facts, body

    entry = cache.get_bytes("template", cache.key("template", "clean", digest, name), make,
                            lambda entry: facts_of(entry) is not None)
    if made:
        package = made[0]
    else:
        facts, body = facts_of(entry)
        package = CleanPackage(body, facts["kind"], facts["was"], digest,
                               tuple(Finding(str(s), str(r), str(m)) for s, r, m in facts["findings"]))
    return replace(package, findings=tuple(Finding(f.severity, f.rule, f.message) for f in package.findings))


def _error(where: Where, rule: str, message: str) -> PackageError:
    return PackageError(Finding("error", rule, message, where.file, where.line, where.field))


def _clean(data: bytes, name: str, where: Where, digest: str) -> CleanPackage:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise _error(where, "org/wrong-file-type", f"'{name}' is an old binary Office file (.ppt/.doc) or is "
                     "password-protected; save it as .pptx/.docx (without a password) first")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _error(where, "org/wrong-file-type", f"'{name}' is not an Office file (it is not a zip package); "
                     "save it from PowerPoint/Word as .pptx/.docx") from None
    _check_members(infos, name, where)
    try:
        parts = {info.filename: archive.read(info) for info in infos if not info.is_dir()}
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as exc:
        raise _error(where, "template/damaged", f"'{name}' is damaged or encrypted ({exc}); save it again from "
                     "PowerPoint/Word") from None
    findings: list[Finding] = []
    types = _xml(parts, "[Content_Types].xml", name, where)
    root_rels = _xml(parts, "_rels/.rels", name, where)
    main = next((rel.get("Target", "") for rel in root_rels
                 if rel.get("Type") in (OFFICE_DOCUMENT, STRICT_OFFICE_DOCUMENT)), None)
    if main is None:
        raise _error(where, "org/wrong-file-type", f"'{name}' is not a presentation or document (its package names "
                     "no main part)")
    main = main.lstrip("/")
    override = next((o for o in types if o.get("PartName", "").lstrip("/").lower() == main.lower()), None)
    content_type = (override.get("ContentType", "") if override is not None else "").lower()
    if content_type not in MAIN_TYPES:
        raise _error(where, "org/wrong-file-type", f"'{name}' is not a PowerPoint presentation or Word document "
                     f"(its main part is '{content_type or 'unknown'}'); save it as .pptx or .docx")
    kind, was = MAIN_TYPES[content_type]
    if content_type != PLAIN[kind]:
        override.set("ContentType", PLAIN[kind])
    try:
        return _cleaned(parts, types, infos, kind, was, name, where, digest, findings)
    except etree.XMLSyntaxError as exc:  # any part the cleaning reads: the file's problem, never a crash
        raise _error(where, "template/damaged", f"'{name}' has a part that is not well-formed XML ({exc.msg}); save the "
                     "file again from PowerPoint/Word") from None


def _cleaned(parts: dict, types, infos, kind: str, was: str, name: str, where: Where, digest: str,
             findings: list[Finding]) -> CleanPackage:
    dropped = _drop_macros(parts, types, name, where, findings)
    dropped |= _drop_active({k: v for k, v in parts.items() if k not in dropped}, types, name, where, findings, parts)
    _drop_external(parts, name, where, findings)
    _drop_dangling(parts, name, where, findings)
    added = []
    if kind == "pptx":
        _drop_ink(parts, name, where, findings)
        _clear_fixed_text(parts, name, where, findings)
        added = add_made_layouts(parts, types, name, findings, where.file, where.line)
    else:
        _drop_fields(parts, name, where, findings)
        _break_style_cycles(parts, name, where, findings)
    for gone in dropped:
        parts.pop(gone, None)
    _strip_types(types, dropped)
    parts["[Content_Types].xml"] = _bytes(types)
    return CleanPackage(_zip(parts, [i.filename for i in infos] + added), kind, was, digest, tuple(findings))


def _check_members(infos, name: str, where: Where) -> None:
    if len(infos) > MAX_MEMBERS:
        raise _error(where, "template/zip-bomb", f"'{name}' holds {len(infos)} parts; a template has at most {MAX_MEMBERS}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        member = info.filename
        if (not member or member.startswith(("/", "\\")) or "\\" in member or "\x00" in member or ":" in member
                or ".." in member.split("/")):
            raise _error(where, "template/bad-member", f"'{name}' contains a part with an unsafe name ({member[:80]!r}); "
                         "save the file again from PowerPoint/Word")
        if member.lower() in seen:
            raise _error(where, "template/bad-member", f"'{name}' contains the part '{member[:80]}' twice")
        seen.add(member.lower())
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _error(where, "template/zip-bomb", f"'{name}' part '{member[:80]}' inflates {info.file_size // max(info.compress_size, 1)}"
                         f" times (to {info.file_size // 2**20} MB); kitgen refuses it as a zip bomb")
    if total > MAX_INFLATED_BYTES:
        raise _error(where, "template/zip-bomb", f"'{name}' inflates to {total // 2**20} MB; a template may inflate to at "
                     f"most {MAX_INFLATED_BYTES // 2**20} MB (compress its pictures, remove unused masters)")


def _xml(parts: dict, member: str, name: str, where: Where):
    if member not in parts:
        raise _error(where, "org/wrong-file-type", f"'{name}' is not an Office package (it has no {member})")
    try:
        return etree.fromstring(parts[member], _PARSER)
    except etree.XMLSyntaxError as exc:
        raise _error(where, "template/damaged", f"'{name}': {member} is not well-formed XML ({exc.msg}); save the "
                     "file again from PowerPoint/Word") from None


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_source(rels_name: str) -> str:
    """``ppt/slides/_rels/slide1.xml.rels`` → ``ppt/slides/slide1.xml`` (the part it belongs to)."""
    folder, file = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), file[: -len(".rels")])


def _target(source: str, target: str) -> str:
    """The part name a relationship of ``source`` points at ("" for the package root); may
    start with ``..`` when the target lies outside the package."""
    target = target.split("#", 1)[0]
    if target.startswith("/"):
        return posixpath.normpath("/" + target).lstrip("/")  # "/../x" stays inside: the root has no parent
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    return "" if joined == "." else joined


def _drop_macros(parts: dict, types, name: str, where: Where, findings: list[Finding]) -> set[str]:
    macro_parts = {o.get("PartName", "").lstrip("/") for o in types
                   if o.get("ContentType", "").lower() in VBA_TYPES}
    macro_parts |= {p for p in parts if p.lower().endswith("vbaproject.bin")}
    for rels_name in [p for p in parts if p.endswith(".rels")]:
        rels = etree.fromstring(parts[rels_name], _PARSER)
        source = _rels_source(rels_name)
        changed = False
        for rel in list(rels):
            if rel.get("Type", "").lower().endswith(VBA_REL_MARKERS):
                macro_parts.add(_target(source, rel.get("Target", "")))
                rels.remove(rel)
                changed = True
        if changed:
            parts[rels_name] = _bytes(rels)
    macro_parts = {p for p in macro_parts if p in parts}
    if macro_parts:
        findings.append(Finding("info", "template/macros-removed", f"'{name}' carries macros ({', '.join(sorted(macro_parts))}); "
                                "kitgen leaves them out of the kit", where.file, where.line, where.field))
    for part in list(macro_parts):
        macro_parts.add(posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"))
    return macro_parts


def _drop_external(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    for rels_name in sorted(p for p in parts if p.endswith(".rels") and p != "_rels/.rels"):
        rels = etree.fromstring(parts[rels_name], _PARSER)
        gone = {}
        for rel in list(rels):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            if kind == "hyperlink" and target.lower().startswith(SAFE_LINK_SCHEMES):
                continue
            gone[rel.get("Id")] = (kind, target)
            rels.remove(rel)
        if not gone:
            continue
        parts[rels_name] = _bytes(rels)
        source = _rels_source(rels_name)
        if source in parts and source.endswith(".xml"):
            parts[source] = _unreference(parts[source], set(gone))
        for kind, target in gone.values():
            findings.append(Finding("info", "template/external-link-removed",
                f"'{name}': {source} linked to an outside file ({_describe(kind)}: {target[:100]}); kitgen leaves the "
                "link out so the kit never fetches it", where.file, where.line, where.field))


def _content_type(types, part: str) -> str:
    for entry in types:
        if entry.get("PartName", "").lstrip("/").lower() == part.lower():
            return entry.get("ContentType", "").lower()
    extension = part.rsplit(".", 1)[-1].lower() if "." in part else ""
    return next((entry.get("ContentType", "").lower() for entry in types
                 if entry.get("Extension", "").lower() == extension and entry.get("Extension")), "")


def _is_active(content_type: str) -> bool:
    return content_type.startswith(ACTIVE_TYPES) or "macroenabled" in content_type or "vbaproject" in content_type


def _drop_active(parts: dict, types, name: str, where: Where, findings: list[Finding], whole: dict) -> set[str]:
    """ActiveX controls, OLE objects and macro-enabled documents embedded in the template: their
    parts, the relationships to them and the elements that show them (``p:control``,
    ``w:control``, ``o:OLEObject``; an OLE object's picture stays) are left out, each named."""
    active = {p for p in parts if not p.endswith(".rels") and _is_active(_content_type(types, p))}
    for rels_name in sorted(p for p in parts if p.endswith(".rels")):
        if b"ctiveX" not in parts[rels_name] and b"oleObject" not in parts[rels_name] and b"/control" not in parts[rels_name]:
            continue
        source = "" if rels_name == "_rels/.rels" else _rels_source(rels_name)
        rels = etree.fromstring(parts[rels_name], _PARSER)
        for rel in rels:
            if (rel.get("TargetMode") != "External" and rel.get("Type", "").lower().endswith(ACTIVE_REL_MARKERS)):
                target = _target(source, rel.get("Target", ""))
                if target in parts:
                    active.add(target)
    if not active:
        return set()
    for rels_name in sorted(p for p in parts if p.endswith(".rels")):
        rels = etree.fromstring(parts[rels_name], _PARSER)
        source = "" if rels_name == "_rels/.rels" else _rels_source(rels_name)
        gone = {rel.get("Id") for rel in rels if rel.get("TargetMode") != "External"
                and _target(source, rel.get("Target", "")) in active}
        if not gone:
            continue
        for rel in [r for r in rels if r.get("Id") in gone]:
            rels.remove(rel)
        parts[rels_name] = _bytes(rels)
        if source in parts and source.endswith(".xml") and source not in active:
            parts[source] = _unreference(parts[source], gone)
            if source.startswith("ppt/"):
                parts[source] = _drop_empty(parts[source], "controls")
    for part in sorted(active):
        what = _content_type(types, part)
        kind = ("ActiveX control" if "activex" in what or "/activex/" in part.lower() else
                "OLE object" if "oleobject" in what or "oleobject" in part.lower() else
                "macro-enabled document" if "macroenabled" in what or "vba" in what else "active object")
        findings.append(Finding("info", "template/active-content-removed", f"'{name}': {part} is an embedded {kind}, "
                                "which can run code when the kit is opened; kitgen leaves it out of the kit",
                                where.file, where.line, where.field))
    dropped = set(active)
    for part in active:
        dropped.add(posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"))
    for part in dropped:
        parts.pop(part, None)
    for part, data in parts.items():  # the rewritten relationships and references
        whole[part] = data
    return dropped


def _drop_empty(xml: bytes, local: str) -> bytes:
    """Remove ``local`` elements (``p:controls``) left without children."""
    root = etree.fromstring(xml, _PARSER)
    for element in [e for e in root.iter(f"{{{P_NS}}}{local}") if len(e) == 0]:
        element.getparent().remove(element)
    return _bytes(root)


def _field_name(instruction: str) -> str:
    words = instruction.replace("\\", " ").split()
    return words[0].upper().lstrip("\\") if words else ""


def _drop_fields(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """Word fields that reach outside the file (:data:`OUTSIDE_FIELDS`), in every Word part (body,
    headers, footers, notes, glossary): a simple field (``w:fldSimple``) is replaced by its shown
    result; a complex one (``w:fldChar`` begin … ``w:instrText`` … separate … result … end) loses
    its instruction and markers, its shown result stays as plain text. Each removal is named."""
    w = f"{{{W_NS}}}"
    for part in sorted(p for p in parts if p.startswith("word/") and p.endswith(".xml")):
        data = parts[part]
        if b"instr" not in data:
            continue
        root = etree.fromstring(data, _PARSER)
        removed: list[str] = []
        for simple in list(root.iter(f"{w}fldSimple")):
            instruction = simple.get(f"{w}instr", "")
            if _field_name(instruction) in OUTSIDE_FIELDS and simple.getparent() is not None:
                parent, index = simple.getparent(), simple.getparent().index(simple)
                for offset, child in enumerate(list(simple)):
                    parent.insert(index + offset, child)
                parent.remove(simple)
                removed.append(instruction.strip())
        removed += _drop_complex_fields(root, part, name, where)
        if not removed:
            continue
        parts[part] = _bytes(root)
        for instruction in removed:
            findings.append(Finding("info", "template/outside-field-removed",
                f"'{name}': {part} has the field {{{instruction[:100]}}}, which fetches or runs something outside the "
                "file when the document opens; kitgen keeps only the text it shows", where.file, where.line, where.field))


def _drop_complex_fields(root, part: str, name: str, where: Where) -> list[str]:
    w = f"{{{W_NS}}}"
    order = {e: i for i, e in enumerate(root.iter())}  # holds every proxy: lxml hands back the same objects
    stack: list[dict] = []
    fields = []
    for element in root.iter(f"{w}fldChar", f"{w}instrText"):
        if element.tag == f"{w}instrText":
            if stack and stack[-1]["separate"] is None:
                stack[-1]["instr"].append(element)
            continue
        kind = element.get(f"{w}fldCharType")
        if kind == "begin":
            if len(stack) >= MAX_FIELD_DEPTH:
                raise _error(where, "template/damaged", f"'{name}': {part} nests fields more than {MAX_FIELD_DEPTH} deep; "
                             "save the file again from Word")
            stack.append({"begin": element, "instr": [], "separate": None})
        elif kind == "separate" and stack:
            stack[-1]["separate"] = element
        elif kind == "end" and stack:
            field = stack.pop()
            field["end"] = element
            fields.append(field)
    removed = []
    doomed: set = set()
    runs = [r for r in root.iter(f"{w}r")]
    for field in fields:
        instruction = "".join(e.text or "" for e in field["instr"])
        if _field_name(instruction) not in OUTSIDE_FIELDS:
            continue
        removed.append(instruction.strip())
        first = order[field["begin"]]
        last = order[field["separate"] if field["separate"] is not None else field["end"]]
        for run in runs:  # the instruction: every run strictly between begin and separate (nested fields too)
            if first < order[run] < last:
                doomed.add(run)
        for marker in (field["begin"], field["separate"], field["end"]):
            if marker is not None:
                doomed.add(marker)
    if not removed:
        return []
    for element in list(order):
        if element in doomed and element.getparent() is not None:
            run = element.getparent()
            run.remove(element)
            if run.tag == f"{w}r" and all(child.tag == f"{w}rPr" for child in run) and run.getparent() is not None:
                run.getparent().remove(run)
    return removed


def _break_style_cycles(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """A Word style based on itself, or on a style that is based on it (A → B → A): Word ignores
    it, but anything that follows "based on" to find a setting would go round for ever. The
    "based on" that closes each cycle is removed (the style then stands on its own), with a
    finding saying how to fix the template. One pass over the styles, each visited once."""
    for part in sorted(p for p in parts if p.startswith("word/") and p.endswith("styles.xml")):
        if b"basedOn" not in parts[part]:
            continue
        root = etree.fromstring(parts[part], _PARSER)
        w = f"{{{W_NS}}}"
        styles = {}
        for style in root.iter(f"{w}style"):
            styles.setdefault(style.get(f"{w}styleId"), style)
        base = {}
        for sid, style in styles.items():
            based = style.find(f"{w}basedOn")
            if based is not None:
                base[sid] = based
        state: dict = {}  # sid → 1 on the current path, 2 done
        broken = []
        for start in styles:
            path = []
            sid = start
            while sid in styles and state.get(sid) is None:  # each style is entered once: at most len(styles) steps in all
                state[sid] = 1
                path.append(sid)
                based = base.get(sid)
                sid = based.get(f"{w}val") if based is not None else None
            if sid in styles and state.get(sid) == 1:  # back on the current path: a cycle
                cycle = path[path.index(sid):]
                closing = base[cycle[-1]]
                closing.getparent().remove(closing)
                broken.append(cycle + [sid])
            for visited in path:
                state[visited] = 2
        if not broken:
            continue
        parts[part] = _bytes(root)
        for cycle in broken:
            shown = " → ".join(f"'{_style_name(styles[s], s)}'" for s in cycle[:8]) + (" …" if len(cycle) > 8 else "")
            what = "is based on itself" if len(cycle) == 2 else f"is based on a style that is based on it ({shown})"
            findings.append(Finding("warning", "template/style-cycle",
                f"'{name}': the Word style '{_style_name(styles[cycle[-2]], cycle[-2])}' {what}; kitgen ignores that "
                "'based on'. To fix the template: in Word, Styles → Modify that style → 'Style based on': choose "
                "another style (e.g. Normal or '(no style)') and save", where.file, where.line, where.field))


def _style_name(style, sid: str) -> str:
    named = style.find(f"{{{W_NS}}}name")
    return (named.get(f"{{{W_NS}}}val") if named is not None else None) or sid or "?"


def _drop_dangling(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """Relationships inside the package that point outside it (``../../etc/passwd``) or at a part
    the file does not have: python-docx stops on them and python-pptx would copy them into every
    kit (PowerPoint then offers to repair it). Each is left out, with what referred to it, and named."""
    from urllib.parse import unquote

    present = {p.lower() for p in parts}
    for rels_name in sorted(p for p in parts if p.endswith(".rels")):
        try:
            rels = etree.fromstring(parts[rels_name], _PARSER)
        except etree.XMLSyntaxError:
            continue  # python-pptx/python-docx say the file is damaged when they read it
        source = "" if rels_name == "_rels/.rels" else _rels_source(rels_name)
        gone = {}
        for rel in list(rels):
            if rel.get("TargetMode") == "External" or not isinstance(rel.tag, str):
                continue
            target = rel.get("Target", "")
            resolved = _target(source, target)
            outside = resolved == "" or resolved == ".." or resolved.startswith("../")
            if not outside and (resolved.lower() in present or unquote(resolved).lower() in present):
                continue
            gone[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, outside)
            rels.remove(rel)
        if not gone:
            continue
        parts[rels_name] = _bytes(rels)
        if source in parts and source.endswith(".xml"):
            parts[source] = _unreference(parts[source], set(gone))
        for kind, target, outside in gone.values():
            where_to = "outside the file" if outside else "a part the file does not have"
            findings.append(Finding("info", "template/broken-link-removed",
                f"'{name}': {source or 'the package'} refers to {where_to} ({_describe(kind)}: {target[:100]}); kitgen "
                "leaves the reference out (save the file again from PowerPoint/Word to repair it)",
                where.file, where.line, where.field))


P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
SHAPE_TREE_PARTS = ("ppt/slideMasters/", "ppt/slideLayouts/", "ppt/slides/")


def _drop_ink(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """Ink drawn on a master, layout or slide (``p:contentPart`` in its shape tree): python-pptx
    has no shape for it and stops on it, so it is left out, with a note. Ink that Office wrote
    with a picture fallback (``mc:AlternateContent``) is not in the shape tree and stays."""
    for part in sorted(p for p in parts if p.startswith(SHAPE_TREE_PARTS) and p.endswith(".xml")):
        if b"contentPart" not in parts[part]:
            continue
        root = etree.fromstring(parts[part], _PARSER)
        ink = [e for e in root.iter(f"{{{P_NS}}}contentPart")
               if e.getparent() is not None and etree.QName(e.getparent()).localname in ("spTree", "grpSp")]
        if not ink:
            continue
        for element in ink:
            element.getparent().remove(element)
        parts[part] = _bytes(root)
        findings.append(Finding("info", "template/ink-removed", f"'{name}': {part} has {len(ink)} ink drawing(s), which "
                                "kitgen cannot carry into a deck; they are left out (redraw them as shapes or a picture "
                                "to keep them)", where.file, where.line, where.field))


A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


KEPT_TEXT = re.compile(r"©|\(c\)\s*\d{4}|all rights reserved|alle rechte|^(public|internal|confidential|restricted|"
                       r"offentlig|intern|fortrolig|vertraulich)$", re.IGNORECASE)


def _clear_fixed_text(parts: dict, name: str, where: Where, findings: list[Finding]) -> None:
    """Words a master or layout writes in a text box of its own (not a placeholder: a course name, a
    person's name and e-mail) would show on every slide of every kit; their runs are cleared (the box,
    its fill and lines stay), with one note naming the words. Fields (slide numbers, dates), copyright
    lines and a classification label (PUBLIC, INTERNAL …) are the client's own and stay."""
    cleared, where_found = [], set()
    for part in sorted(p for p in parts if p.startswith(SHAPE_TREE_PARTS[:2]) and p.endswith(".xml")):
        if b"<a:t>" not in parts[part] and b"<a:t " not in parts[part]:
            continue
        root = etree.fromstring(parts[part], _PARSER)
        changed = False
        for shape in root.iter(f"{{{P_NS}}}sp"):
            if shape.find(f"{{{P_NS}}}nvSpPr/{{{P_NS}}}nvPr/{{{P_NS}}}ph") is not None:
                continue  # a placeholder: kitgen fills it or leaves it out
            runs = list(shape.iter(f"{{{A_NS}}}r"))
            text = " ".join(" ".join("".join(t.text or "" for t in r.iter(f"{{{A_NS}}}t")) for r in runs).split())
            if not any(ch.isalpha() for ch in text) or KEPT_TEXT.search(text):
                continue
            for run in runs:
                run.getparent().remove(run)
            changed = True
            if text not in cleared:
                cleared.append(text)
            where_found.add(part.split("/")[1])
        if changed:
            parts[part] = _bytes(root)
    if cleared:
        shown = ", ".join(f"'{text[:60]}'" for text in cleared[:4]) + (f" and {len(cleared) - 4} more" if len(cleared) > 4 else "")
        findings.append(Finding("info", "template/fixed-text-cleared", f"'{name}': its {' and '.join(sorted(where_found)).replace('slideLayouts', 'layouts').replace('slideMasters', 'slide masters')} "
                                f"write {shown} in text boxes that are not placeholders, so the words would show on every "
                                "slide of every kit; kitgen clears them (to show such words, put them in a placeholder or "
                                "in the deck's content)", where.file, where.line, where.field))


def _describe(kind: str) -> str:
    return {"attachedTemplate": "attached template", "image": "linked picture", "oleObject": "linked OLE object",
            "hyperlink": "link", "mailMergeSource": "mail-merge source"}.get(kind, kind)


def _unreference(xml: bytes, ids: set[str]) -> bytes:
    """Remove every ``r:…`` attribute naming one of ``ids``, and elements that only hold such a reference."""
    root = etree.fromstring(xml, _PARSER)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        hits = [key for key, value in element.attrib.items() if key.startswith(f"{{{R_NS}}}") and value in ids]
        if not hits:
            continue
        if etree.QName(element).localname in REFERENCE_ELEMENTS and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for key in hits:
            del element.attrib[key]
    return _bytes(root)


def _strip_types(types, dropped: set[str]) -> None:
    for override in list(types):
        if override.get("PartName", "").lstrip("/") in dropped:
            types.remove(override)


def _zip(parts: dict, order: list[str]) -> bytes:
    """Repack with fixed entry times (same input, same bytes), ``[Content_Types].xml`` first."""
    names = [n for n in order if n in parts]
    names.sort(key=lambda n: n != "[Content_Types].xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for member in names:
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, parts[member])
    return buffer.getvalue()


def open_presentation(path: Path, where: Where | None = None):
    """A python-pptx ``Presentation`` of a client file, cleaned; raises :class:`PackageError`."""
    from pptx import Presentation

    package = clean_file(path, "pptx", where)
    return _open(Presentation, package, Path(path).name, where or Where(str(path)))


def open_word(path: Path, where: Where | None = None):
    """A python-docx ``Document`` of a client file, cleaned; raises :class:`PackageError`."""
    from docx import Document

    package = clean_file(path, "docx", where)
    return _open(Document, package, Path(path).name, where or Where(str(path)))


def _open(opener, package: CleanPackage, name: str, where: Where):
    """Open the cleaned bytes; whatever python-pptx/python-docx cannot read is a finding, not a crash."""
    try:
        return opener(package.stream())
    except Exception as exc:  # noqa: BLE001 — any failure to read a client's file is the file's problem
        raise _error(where, "template/damaged", f"'{name}' cannot be read ({type(exc).__name__}: {str(exc)[:120]}); "
                     "open it in PowerPoint/Word, save it again and retry") from None
