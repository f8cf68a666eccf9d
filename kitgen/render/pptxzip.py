"""A python-pptx presentation saved in one zip pass: fixed entry times and order, parts deflated once.

``prs.save()`` deflates every part into a zip stamped with the current time, and
:func:`kitgen.build.write.normalise_office_bytes` then rewrote that zip with fixed times and order.
:func:`save_bytes` gives the same bytes in one pass: python-pptx still makes every entry's
bytes with its own package writer (``[Content_Types].xml``, ``_rels/.rels``, each part's
blob and its ``.rels``, exactly what ``save`` writes), and :func:`kitgen.ooxml.zippack.pack` lays
them out as the repack did, reusing the deflated bytes of parts it has seen before (the
template's masters, layouts, theme and pictures are the same in every kit).

The ``.rels`` and ``[Content_Types].xml`` entries are python-pptx's too, kept per process
by what they are made from: a part's relationships (id, type, target mode, and the target
reference python-pptx would write) and the package's part names with their content types.
Slide 5's relationships are the same in every kit of a programme; python-pptx works each
one out again (a ``posixpath.relpath`` per relationship).
"""

from __future__ import annotations

from collections import OrderedDict

from kitgen.ooxml.zippack import pack

KEPT = 4096  # serialised .rels and content-type items kept (least recently used dropped)
_XML: OrderedDict[tuple, bytes] = OrderedDict()


class _Entries:
    """python-pptx's physical package writer interface (``write(pack_uri, blob)``), kept in a dict."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def package_entries(prs) -> dict[str, bytes]:
    """Zip member name → bytes, exactly what ``prs.save()`` writes (``Package.save``'s writer and parts)."""
    from pptx.opc.packuri import CONTENT_TYPES_URI
    from pptx.opc.serialized import PackageWriter

    package = prs.part.package
    parts = tuple(package.iter_parts())
    writer = PackageWriter(None, package._rels, parts)
    sink = _Entries()
    key = ("[Content_Types]", tuple((str(part.partname), part.content_type) for part in parts))
    sink.entries[CONTENT_TYPES_URI.membername] = _kept(key, lambda: _content_types(writer))
    writer._write_pkg_rels(sink)
    for part in parts:  # PackageWriter._write_parts, with each .rels kept by what it is made from
        sink.write(part.partname, part.blob)
        if part._rels:
            rels = part.rels
            sink.write(part.partname.rels_uri, _kept(_rels_key(rels), lambda: rels.xml))
    return sink.entries


def save_bytes(prs) -> bytes:
    """The presentation as reproducible .pptx bytes: ``normalise_office_bytes(prs.save(…))`` in one pass."""
    return pack(package_entries(prs))


def _content_types(writer) -> bytes:
    sink = _Entries()
    writer._write_content_types_stream(sink)
    return next(iter(sink.entries.values()))


def _rels_key(rels) -> tuple:
    """Everything ``_Relationships.xml`` writes: per relationship its id, type, target mode and target
    reference — the one python-pptx has already worked out (a lazy property) when it has, else what
    it would work out from the target part's name and the relationship's base URI."""
    items = []
    for rId, rel in rels._rels.items():
        known = rel.__dict__
        if "target_ref" in known:
            target = ("ref", known["target_ref"])
        elif isinstance(rel._target, str):
            target = ("external", rel._target)
        else:
            partname = known["target_partname"] if "target_partname" in known else rel._target.partname
            target = ("part", rel._base_uri, str(partname))
        items.append((rId, rel._rId, rel._reltype, rel._target_mode, target))
    return ("rels", tuple(items))


def _kept(key: tuple, make) -> bytes:
    from kitgen.core import cache

    if not cache.enabled():
        return make()
    found = _XML.get(key)
    if found is None:
        found = _XML[key] = make()
        while len(_XML) > KEPT:
            _XML.popitem(last=False)
    else:
        _XML.move_to_end(key)
    return found
