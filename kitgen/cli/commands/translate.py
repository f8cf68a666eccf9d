"""``kitgen translate export|import``: translations through gettext PO files (:mod:`kitgen.build.translate`)."""

from __future__ import annotations

from pathlib import Path

import click

from kitgen.cli.commands.authoring import CTX, EXIT_FINDINGS, _content_dir, _fail, _unknown, content_option


def register(main, show) -> None:
    main.add_command(translate, "translate")


@click.group(context_settings=CTX)
def translate() -> None:
    """Translate a kit's texts with a translator's tools (gettext PO files).

    \b
      kitgen translate export --org KK --lang en --out kk-en.po
      (translate kk-en.po in Poedit, Lokalize, Weblate, Crowdin … or any text editor)
      kitgen translate import kk-en.po

    Export lists every text the organisation's kit shows that has no translation in
    that language; import writes the translations into the content files, next to the
    Danish text ({da: …, en: …}), keeping the files' comments and layout.
    """


@translate.command("export")
@click.option("--org", "org_id", required=True, help="The organisation whose kit's texts to export.")
@click.option("--lang", "language", required=True, type=click.Choice(["da", "en"]), help="The language to translate into.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The PO file to write.")
@content_option
def export_command(org_id: str, language: str, out: Path, content) -> None:
    """Write a PO file of every text ORG's kit shows that lacks LANG.

    Each entry's context is the content file and key path (leave it as it is); the
    comment says what the text is and where it shows in the kit.
    """
    from kitgen.content.load import load_content
    from kitgen.build.translate import export

    folder = _content_dir(content)
    loaded, _findings = load_content(folder)
    if org_id not in loaded.orgs:
        _unknown("organisation", org_id, loaded.orgs)
    if out.exists() and out.is_dir():
        _fail(f"{out} is a folder; give a file name such as {org_id.lower()}-{language}.po")
    count = export(folder, org_id, language, out)
    if count:
        click.echo(f"wrote {out}: {count} texts to translate into '{language}'.")
        click.echo(f"Translate them (Poedit, or any PO editor), then: kitgen translate import {out}")
    else:
        click.echo(f"wrote {out}: every text {org_id}'s kit shows already has '{language}'; nothing to translate.")


@translate.command("import")
@click.argument("po_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@content_option
def import_command(po_file: Path, content) -> None:
    """Write the translations of PO_FILE into the content files they came from.

    Untranslated and fuzzy entries are skipped. A text whose source changed since the
    export is not written and is reported with its file and line (exit 1); export
    again to translate the new text.
    """
    from kitgen.build.translate import import_po

    folder = _content_dir(content)
    try:
        report = import_po(folder, po_file)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        _fail(f"{po_file} could not be read as a PO file ({exc}); export it again with 'kitgen translate export'")
    for file, line, message in report.problems:
        where = f"{file}:{line}" if line else file
        click.echo(f"warning: {where}: {message}", err=True)
    click.echo(f"wrote {report.written} translations into {len(report.files)} files"
               + (f"; {len(report.problems)} not written (see above)" if report.problems else "") + ".")
    if report.problems:
        raise SystemExit(EXIT_FINDINGS)
