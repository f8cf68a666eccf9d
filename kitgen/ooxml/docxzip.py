"""A python-docx document saved in one zip pass, with fixed entry times and compressed parts reused.

``document.save()`` deflates every part into a zip stamped with the current time, and
:func:`kitgen.build.write.normalise_office_bytes` then rewrites that zip with fixed times and
order. :func:`save_bytes` gives the same bytes in one pass: python-docx still makes every
part's bytes (``part.blob``, ``part.rels.xml`` and ``[Content_Types].xml`` through its own
``PackageWriter`` helpers, after ``before_marshal`` as ``save`` does), and the entries are
written as :mod:`kitgen.ooxml.zippack` writes them.

Most parts of a kit's Word files are the same from one kit to the next (styles, theme,
fonts, settings, the template's thumbnail, the diagrams of a programme): their deflated
bytes are kept per process, keyed by the part's bytes themselves (a dict lookup: hash, then
compare), so they are deflated once, not once per kit. zlib is deterministic: a reused entry
is byte for byte what deflating it again gives. The cache is bounded (``CACHE_BYTES`` of
inflated data, least recently used dropped first) so a worker's memory stays flat; the
document body itself, different in every kit, is not kept. Nothing is kept between runs;
``KITGEN_NO_CACHE`` deflates every part every time.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict

from kitgen.ooxml.zippack import pack

CACHE_BYTES = 16 * 1024 * 1024
MIN_CACHED = 2048  # small parts deflate faster than they are looked up and kept
_CACHE: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
_cached_bytes = 0


def package_entries(document) -> dict[str, bytes]:
    """Zip member name → bytes, exactly what ``document.save()`` writes."""
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    entries = {CONTENT_TYPES_URI.membername: _ContentTypesItem.from_parts(parts).blob,
               PACKAGE_URI.rels_uri.membername: package.rels.xml}
    for part in parts:
        entries[part.partname.membername] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = part.rels.xml
    return entries


def deflate(data: bytes, keep: bool = True) -> tuple[int, bytes]:
    """(CRC-32, raw deflate at level 6) of ``data``, as ``zipfile`` writes it; reused when seen
    before, and kept for the next time unless ``keep`` is false (a part no other kit has)."""
    global _cached_bytes
    from kitgen.core import cache

    if len(data) < MIN_CACHED or (not keep and data not in _CACHE) or not cache.enabled():
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return zlib.crc32(data), compressor.compress(data) + compressor.flush()
    hit = _CACHE.get(data)
    if hit is not None:
        _CACHE.move_to_end(data)
        return hit
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    hit = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
    _CACHE[data] = hit
    _cached_bytes += len(data)
    while _cached_bytes > CACHE_BYTES and len(_CACHE) > 1:
        old, _ = _CACHE.popitem(last=False)
        _cached_bytes -= len(old)
    return hit


def save_bytes(document) -> bytes:
    """The document as a reproducible .docx: the bytes ``normalise_office_bytes(document.save())`` gives."""
    entries = package_entries(document)
    own = document.part.partname.membername  # the body: different in every kit, not worth keeping
    return pack(entries, lambda name, data: deflate(data, keep=name != own))
