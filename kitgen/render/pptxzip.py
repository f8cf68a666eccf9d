"""A python-pptx presentation saved in one zip pass: fixed entry times and order, parts deflated once.

``prs.save()`` deflates every part into a zip stamped with the current time, and
:func:`kitgen.write.normalise_office_bytes` then rewrote that zip with fixed times and order.
:func:`save_bytes` gives the same bytes in one pass: python-pptx still makes every entry's
bytes with its own package writer (``[Content_Types].xml``, ``_rels/.rels``, each part's
blob and its ``.rels``, exactly what ``save`` writes), and :func:`kitgen.zippack.pack` lays
them out as the repack did, reusing the deflated bytes of parts it has seen before (the
template's masters, layouts, theme and pictures are the same in every kit).
"""

from __future__ import annotations

from kitgen.zippack import pack


class _Entries:
    """python-pptx's physical package writer interface (``write(pack_uri, blob)``), kept in a dict."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def package_entries(prs) -> dict[str, bytes]:
    """Zip member name → bytes, exactly what ``prs.save()`` writes (``Package.save``'s writer and parts)."""
    from pptx.opc.serialized import PackageWriter

    package = prs.part.package
    writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
    sink = _Entries()
    writer._write_content_types_stream(sink)
    writer._write_pkg_rels(sink)
    writer._write_parts(sink)
    return sink.entries


def save_bytes(prs) -> bytes:
    """The presentation as reproducible .pptx bytes: ``normalise_office_bytes(prs.save(…))`` in one pass."""
    return pack(package_entries(prs))
