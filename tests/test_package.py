"""Office packages made reproducible (kitgen.ooxml.package): python-pptx's and python-docx's own save(),
then one zipfile pass; and no library internals beyond element access."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from kitgen.ooxml.package import normalise

ROOT = Path(__file__).resolve().parent.parent





def _zipfile_reference(data: bytes) -> bytes:
    """An Office package as zipfile writes it: fixed times and modes, [Content_Types].xml first, deflate level 6."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr, info.create_system = zipfile.ZIP_DEFLATED, 0o644 << 16, 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def test_normalising_gives_the_bytes_zipfile_gives_and_a_readable_package():
    original = io.BytesIO()
    with zipfile.ZipFile(original, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>" * 200)
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(zipfile.ZipInfo("word/media/billede-æ.png"), b"\x89PNG" + bytes(range(256)) * 20,
                   compress_type=zipfile.ZIP_STORED)  # stored by another program: deflated here
        z.writestr("word/empty.xml", "")
    data = original.getvalue()
    repacked = normalise(data)
    assert repacked == _zipfile_reference(data)
    package = zipfile.ZipFile(io.BytesIO(repacked))
    assert package.testzip() is None
    assert package.namelist()[0] == "[Content_Types].xml"
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in package.infolist())
    assert package.read("word/media/billede-æ.png") == b"\x89PNG" + bytes(range(256)) * 20


def test_a_built_deck_normalises_to_the_same_bytes(kits):
    deck = (kits / "KK" / "deck.pptx").read_bytes()
    assert normalise(deck) == deck == _zipfile_reference(deck)


def test_no_private_package_writer_and_no_hand_made_zip_headers():
    """kitgen saves through save() and zipfile: no private package writer of python-pptx or
    python-docx, no struct-packed zip headers."""
    source = {p: p.read_text(encoding="utf-8") for p in (ROOT / "kitgen").rglob("*.py")}
    writers = [str(p) for p, text in source.items() if re.search(r"pkgwriter|_ContentTypesItem|PackageWriter", text)]
    headers = [str(p) for p, text in source.items() if re.search(r"PK\\00[1-5]|structFileHeader|struct\.Struct", text)]
    assert writers == [] and headers == []
