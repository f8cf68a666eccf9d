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
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from kitgen.core import cache
from kitgen.core.findings import Finding
from kitgen.templates.clean_base import _PARSER, R_NS, Where, _bytes, _error
from kitgen.templates.clean_links import _drop_active, _drop_dangling, _drop_external, _drop_macros, _strip_types
from kitgen.templates.clean_slides import _clear_fixed_text, _drop_ink
from kitgen.templates.clean_word import _break_style_cycles, _drop_fields
from kitgen.templates.accents import record_brand_colours
from kitgen.templates.madelayouts import add_made_layouts

MAX_FILE_BYTES = 200 * 1024 * 1024        # the zip on disk
MAX_MEMBERS = 20_000                      # parts in the package
MAX_INFLATED_BYTES = 400 * 1024 * 1024    # all parts together, inflated
MAX_RATIO = 200                           # inflated / compressed, for any part over RATIO_FLOOR
RATIO_FLOOR = 5 * 1024 * 1024
CACHE_BYTES = 64 * 1024 * 1024            # cleaned packages kept in memory (one build reads each template thrice)

OFFICE_DOCUMENT = R_NS + "/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

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
        record_brand_colours(parts)  # a theme in Office's colours gets the template's own (kitgen.templates.accents)
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
