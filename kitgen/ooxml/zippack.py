"""An Office package rewritten with fixed entry times and order, its compressed data copied as it is.

python-pptx and python-docx save with ``zipfile`` (deflate at zlib's default level, 6) and stamp
the current time on every entry. To make the bytes reproducible, :func:`repack` writes a new zip
with ``[Content_Types].xml`` first, the other parts by name, every entry dated 1980-01-01 00:00
and mode 0644 — and takes each entry's *compressed* bytes and CRC straight from the saved
package, so no part is inflated and deflated again (the old way compressed every part twice).

The headers are exactly what ``zipfile.ZipFile.writestr`` writes for such an entry on a seekable
file (version 2.0, no data descriptor, no extra field, UTF-8 flag only for a non-ASCII name),
so the result is byte for byte what ``writestr(…, compresslevel=6)`` of the inflated data gives.
An entry that is not deflated (a template saved by another program) is deflated here at level 6,
as ``zipfile`` would. Packages needing ZIP64 (over 4 GiB, over 65535 parts) go through
``zipfile`` itself.

:func:`pack` writes the same layout from the parts' bytes themselves (member name → bytes, as
python-pptx's own package writer makes them), so a deck is zipped once, not saved and then
repacked. Parts that are the same from kit to kit (a template's masters, layouts, theme and
pictures) are deflated once per process: :func:`deflate` keeps their deflated bytes, keyed
by the part's bytes (zlib is deterministic, so a kept entry is byte for byte what deflating
again gives), in a bounded least-recently-used table, so a worker's memory stays flat.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections import OrderedDict

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_DATE = (FIXED_ZIP_TIME[0] - 1980) << 9 | FIXED_ZIP_TIME[1] << 5 | FIXED_ZIP_TIME[2]
_DOS_TIME = FIXED_ZIP_TIME[3] << 11 | FIXED_ZIP_TIME[4] << 5 | FIXED_ZIP_TIME[5] // 2
_LOCAL = struct.Struct("<4s2B4HL2L2H")          # zipfile.structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")      # zipfile.structCentralDir
_END = struct.Struct("<4s4H2LH")                # zipfile.structEndArchive
_VERSION = 20                                   # deflate: "2.0"
_MODE = 0o644 << 16
_LIMIT = (1 << 31) - 1
DEFLATE_CACHE_BYTES = 8 * 1024 * 1024  # inflated bytes whose deflated form is kept (least recently used dropped)
DEFLATE_CACHE_MIN = 2048                # smaller parts deflate faster than they are looked up and kept
_DEFLATED: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
_deflated_bytes = 0


def order(names) -> list[str]:
    return sorted(names, key=lambda n: (n != "[Content_Types].xml", n))


def repack(data: bytes) -> bytes:
    """``data`` (a zip) with fixed entry times and order, compressed data reused; see the module doc."""
    source = zipfile.ZipFile(io.BytesIO(data))
    infos = {info.filename: info for info in source.infolist()}
    if len(infos) > 0xFFFF or len(data) > _LIMIT:
        return _repack_with_zipfile(source)
    view = memoryview(data)
    out = bytearray()
    central = bytearray()
    for name in order(infos):
        info = infos[name]
        if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1:
            start = info.header_offset
            name_len, extra_len = struct.unpack_from("<2H", data, start + 26)
            begin = start + 30 + name_len + extra_len
            payload = view[begin:begin + info.compress_size]
            crc, size = info.CRC, info.file_size
        else:
            raw = source.read(name)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload = compressor.compress(raw) + compressor.flush()
            crc, size = zlib.crc32(raw), len(raw)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        offset = len(out)
        if offset > _LIMIT:
            return _repack_with_zipfile(source)
        out += _LOCAL.pack(b"PK\003\004", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                           crc, len(payload), size, len(encoded), 0)
        out += encoded
        out += payload
        central += _CENTRAL.pack(b"PK\001\002", _VERSION, 0, _VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME,
                                 _DOS_DATE, crc, len(payload), size, len(encoded), 0, 0, 0, 0, _MODE, offset)
        central += encoded
    start_dir = len(out)
    out += central
    out += _END.pack(b"PK\005\006", 0, 0, len(infos), len(infos), len(central), start_dir, 0)
    return bytes(out)


def _repack_with_zipfile(source: zipfile.ZipFile) -> bytes:
    """The same layout through ``zipfile`` (inflating and deflating again), for what needs ZIP64."""
    return _zip_with_zipfile(source.namelist(), source.read)


def _zip_with_zipfile(names, read) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in order(names):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _MODE
            info.create_system = 0
            target.writestr(info, read(name), compresslevel=6)
    return out.getvalue()


def deflate(data: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate at level 6) of ``data``, as ``zipfile`` writes an entry; reused when seen before."""
    global _deflated_bytes
    from kitgen.core import cache

    if not cache.enabled():  # KITGEN_NO_CACHE: every part deflated anew
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return zlib.crc32(data), compressor.compress(data) + compressor.flush()
    if len(data) >= DEFLATE_CACHE_MIN:
        hit = _DEFLATED.get(data)
        if hit is not None:
            _DEFLATED.move_to_end(data)
            return hit
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    result = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
    if DEFLATE_CACHE_MIN <= len(data) <= DEFLATE_CACHE_BYTES // 4:
        _DEFLATED[data] = result
        _deflated_bytes += len(data)
        while _deflated_bytes > DEFLATE_CACHE_BYTES:
            old, _ = _DEFLATED.popitem(last=False)
            _deflated_bytes -= len(old)
    return result


def pack(entries: dict[str, bytes], deflate_part=None) -> bytes:
    """A zip of ``entries`` (member name → inflated bytes) in :func:`repack`'s layout: the bytes
    ``repack`` gives for a zip of these entries that ``zipfile`` wrote, each part deflated once.
    ``deflate_part(name, data) -> (crc, payload)`` replaces :func:`deflate` (the Word side keeps
    its parts by other rules, kitgen.ooxml.docxzip)."""
    if len(entries) > 0xFFFF or sum(len(data) for data in entries.values()) > _LIMIT:
        return _zip_with_zipfile(list(entries), entries.__getitem__)
    out = bytearray()
    central = bytearray()
    for name in order(entries):
        data = entries[name]
        crc, payload = deflate_part(name, data) if deflate_part else deflate(data)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        offset = len(out)
        if offset + len(payload) > _LIMIT:
            return _zip_with_zipfile(list(entries), entries.__getitem__)
        out += _LOCAL.pack(b"PK\003\004", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE,
                           crc, len(payload), len(data), len(encoded), 0)
        out += encoded
        out += payload
        central += _CENTRAL.pack(b"PK\001\002", _VERSION, 0, _VERSION, 0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME,
                                 _DOS_DATE, crc, len(payload), len(data), len(encoded), 0, 0, 0, 0, _MODE, offset)
        central += encoded
    start_dir = len(out)
    out += central
    out += _END.pack(b"PK\005\006", 0, 0, len(entries), len(entries), len(central), start_dir, 0)
    return bytes(out)
