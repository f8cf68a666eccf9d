"""PDF conversion of several kits at once: files of the same name keep their own PDFs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kitgen.build.preview import _unique_names, pdf_pages, to_pdf


def test_files_of_the_same_name_get_pdf_names_of_their_own(tmp_path):
    a, b, c = tmp_path / "KK" / "deck.pptx", tmp_path / "AMK" / "deck.pptx", tmp_path / "KK" / "notes.docx"
    names = _unique_names([a, b, c])
    assert names[c] == "notes"
    assert names[a] != names[b] and {names[a], names[b]} == {"KK-deck", "AMK-deck"}


@pytest.mark.skipif(not shutil.which("soffice") and not os.environ.get("CI"), reason="LibreOffice is not installed")
def test_two_decks_called_deck_pptx_convert_to_two_pdfs(kits, tmp_path):
    """Converting KK's and AMK's deck.pptx in one call gave one deck.pdf, the last one written,
    so a page count compared one kit's slides with another kit's PDF."""
    from pptx import Presentation

    decks = [kits / "KK" / "deck.pptx", kits / "AMK" / "deck.pptx"]
    pdfs = to_pdf(decks, tmp_path / "pdf")
    assert len(set(pdfs.values())) == 2
    for deck, pdf in pdfs.items():
        assert pdf_pages(pdf) == len(Presentation(str(deck)).slides), deck
