"""Cleaning a client package's relationships: macros, outside links, active content (ActiveX, OLE,
embedded macro-enabled documents) and references to parts the file does not have are left out, each named."""

from __future__ import annotations

import posixpath

from lxml import etree

from kitgen.core.findings import Finding
from kitgen.templates.clean_base import (_PARSER, P_NS, Where, _bytes, _describe, _rels_source, _target,
                                         _unreference)

VBA_TYPES = ("application/vnd.ms-office.vbaproject", "application/vnd.ms-word.vbadata+xml",
             "application/vnd.ms-office.vbaprojectsignature", "application/vnd.ms-word.keymapcustomizations+xml")
VBA_REL_MARKERS = ("/vbaproject", "/wordvbadata", "/vbaprojectsignature", "/keymapcustomizations")
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
# Parts that run code or hold another program's objects: ActiveX controls and their binaries,
# OLE objects (any program's data, a "Package" can be an executable), macro-enabled documents
# embedded in the template. Left out with every relationship and reference to them.
ACTIVE_TYPES = ("application/vnd.ms-office.activex+xml", "application/vnd.ms-office.activex",
                "application/vnd.openxmlformats-officedocument.oleobject",
                "application/vnd.openxmlformats-officedocument.activex")
ACTIVE_REL_MARKERS = ("/control", "/activexcontrolbinary", "/oleobject")


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


def _strip_types(types, dropped: set[str]) -> None:
    for override in list(types):
        if override.get("PartName", "").lstrip("/") in dropped:
            types.remove(override)
