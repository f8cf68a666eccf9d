"""A diff of two kits (:func:`kitgen.build.diff.diff_kits`'s result) as text, JSON, GitHub Markdown or
one self-contained HTML page with the changed slides and pages side by side."""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path

from kitgen.build import diff
from kitgen.build.preview import to_pdf, to_png


def _summary(entry: dict) -> str:
    unit = entry["unit"]
    if entry["status"] in ("added", "removed"):
        count = f" ({entry['count']} {unit}s)" if "count" in entry else ""
        return f"{entry['name']}: {entry['status']}{count}"
    if entry["status"] == "same":
        return f"{entry['name']}: no change"
    if unit == "file":
        return f"{entry['name']}: changed"
    parts = _counts(entry, unit)
    if "pages" in entry:
        parts.append("pages: " + (", ".join(_counts(entry["pages"], "page")) or "no change"))
    if entry.get("note"):
        parts.append(entry["note"])
    return f"{entry['name']}: " + "; ".join(parts)


def _counts(part: dict, unit: str) -> list[str]:
    out = []
    for key in ("changed", "added", "removed"):
        numbers = [str(x["new"] if key == "changed" else x["number"]) for x in part[key]]
        if numbers:
            out.append(f"{unit}{'s' if len(numbers) > 1 else ''} {', '.join(numbers)} {key}")
    return out


def _details(part: dict, unit: str) -> list[str]:
    lines = []
    for item in part["changed"]:
        where = f"{unit} {item['new']}" if item["old"] == item["new"] else f"{unit} {item['old']} → {item['new']}"
        lines.append(f"  changed {where}: {item['title']}")
        lines.extend(f"    {line}" for line in item["diff"])
    for key, sign in (("added", "+"), ("removed", "-")):
        for item in part[key]:
            lines.append(f"  {key} {unit} {item['number']}: {item['title']}")
            lines.extend(f"    {sign} {line}" for line in item["text"][:40])
    return lines


def render_text(result: dict, title: str = "") -> str:
    where = title or f"{result['old'] or '(none)'} → {result['new'] or '(none)'}"
    lines = [f"kitgen diff {where}; Word files compared {result['compared']}"]
    if result["identical"]:
        lines.append("no difference")
        return "\n".join(lines)
    for entry in result["files"]:
        lines.append(_summary(entry))
        if entry["status"] == "changed" and entry["unit"] != "file":
            lines.extend(_details(entry, entry["unit"]))
            if "pages" in entry:
                lines.extend(_details(entry["pages"], "page"))
    return "\n".join(lines)


def render_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def render_github(result: dict, title: str = "") -> str:
    """Job-summary markdown: a line per file, the changed text folded under ``<details>``."""
    heading = title or "kitgen diff"
    lines = [f"### {_md(heading)}", "", f"Word files compared {result['compared']}.", ""]
    if result["identical"]:
        lines.append("No difference.")
        return "\n".join(lines) + "\n"
    for entry in result["files"]:
        lines.append(f"- **{_md(entry['name'])}**: {_md(_summary(entry).split(': ', 1)[1])}")
    for entry in result["files"]:
        if entry["status"] != "changed" or entry["unit"] == "file":
            continue
        body = _details(entry, entry["unit"]) + (_details(entry["pages"], "page") if "pages" in entry else [])
        if body:
            fence = "````"
            lines += ["", f"<details><summary>{html.escape(entry['name'])}</summary>", "", f"{fence}diff",
                      *(_diff_line(line) for line in body), fence, "", "</details>"]
    return "\n".join(lines) + "\n"


def _diff_line(line: str) -> str:
    """A line of :func:`_details` in a diff block: the diff lines coloured, the headings as hunk headers."""
    line = line.replace("`", "'")
    if line.startswith("    "):
        body = line[4:]
        return body if body[:1] in ("+", "-") else " " + body
    return f"@@ {line.strip()} @@"


def _md(text: str) -> str:
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text


def render_html(result: dict, title: str = "", images: bool | None = None, workdir: Path | None = None) -> str:
    """One self-contained page: per changed file the changed slides/pages side by side as images
    (LibreOffice → PDF → PNG, embedded) and the changed text beneath."""
    import base64

    if images is None:
        images = diff.libreoffice_available()
    esc = html.escape
    out = ["<!doctype html><html lang='en'><meta charset='utf-8'>",
           f"<title>{esc(title or 'kitgen diff')}</title>", _HTML_STYLE, f"<h1>{esc(title or 'kitgen diff')}</h1>",
           f"<p>Word files compared {esc(result['compared'])}.</p>"]
    if not images:
        out.append("<p class='note'>Text only: LibreOffice (soffice) and pdftoppm are needed to show the slides and "
                   "pages as images.</p>")
    if result["identical"]:
        out.append("<p>No difference.</p>")
    own_tmp = None
    if images and workdir is None:
        own_tmp = tempfile.TemporaryDirectory(prefix="kitgen-diff-html-")
        workdir = Path(own_tmp.name)
    try:
        for entry in result["files"]:
            out.append(f"<h2>{esc(entry['name'])}</h2><p>{esc(_summary(entry).split(': ', 1)[1])}</p>")
            if entry["status"] != "changed" or entry["unit"] == "file":
                continue
            part = entry["pages"] if entry["unit"] == "section" and "pages" in entry else entry
            unit = "page" if part is not entry else entry["unit"]
            pictures = {}
            if images and unit in ("slide", "page"):  # a section is no picture: without pages, its text
                try:
                    pictures = _page_images(result, entry["name"], Path(workdir))
                except Exception as exc:  # a render that fails leaves the text
                    out.append(f"<p class='note'>No images: {esc(str(exc))}</p>")
            for item in part["changed"]:
                out.append(f"<h3>{unit} {item['old']} → {item['new']}: {esc(item['title'])}</h3><div class='pair'>")
                for side, number in (("old", item["old"]), ("new", item["new"])) if pictures else ():
                    out.append(_figure(pictures, side, number, base64))
                out.append("</div><pre>" + "\n".join(_html_diff_line(line) for line in item["diff"]) + "</pre>")
            for key in ("added", "removed"):
                for item in part[key]:
                    side = "new" if key == "added" else "old"
                    figure = _figure(pictures, side, item["number"], base64) if pictures else ""
                    sign = "+" if key == "added" else "-"
                    out.append(f"<h3>{unit} {item['number']} {key}: {esc(item['title'])}</h3><div class='pair'>{figure}"
                               "</div><pre>" + "\n".join(_html_diff_line(f"{sign}{line}") for line in item["text"])
                               + "</pre>")
            if part is not entry:  # the sections, as text
                out.append("<h3>by section</h3><pre>" + "\n".join(_html_diff_line(line) for line in
                                                                  _details(entry, "section")) + "</pre>")
    finally:
        if own_tmp is not None:
            own_tmp.cleanup()
    out.append("</html>")
    return "\n".join(out)


def _figure(pictures: dict, side: str, number: int, base64) -> str:
    path = pictures.get((side, number))
    if path is None:
        return f"<figure><figcaption>{side} {number}</figcaption></figure>"
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f"<figure><img alt='{side} {number}' src='data:image/png;base64,{data}'><figcaption>{side} {number}" \
           "</figcaption></figure>"


def _page_images(result: dict, name: str, workdir: Path) -> dict[tuple[str, int], Path]:
    pictures = {}
    for side in ("old", "new"):
        source = Path(result[side]) / name
        folder = workdir / f"img-{side}-{Path(name).stem}"
        folder.mkdir(parents=True, exist_ok=True)
        pdf = to_pdf([source], folder)[source]
        for number, png in enumerate(to_png(pdf, folder, 50), start=1):
            pictures[(side, number)] = png
    return pictures


def _html_diff_line(line: str) -> str:
    stripped = line.lstrip()
    cls = "add" if stripped.startswith("+") else "del" if stripped.startswith("-") else ""
    return f"<span class='{cls}'>{html.escape(line)}</span>" if cls else html.escape(line)


_HTML_STYLE = """<style>
body{font:15px/1.4 system-ui,sans-serif;margin:2em;max-width:1400px}
.pair{display:flex;gap:1em}.pair figure{margin:0;flex:1}.pair img{width:100%;border:1px solid #bbb}
pre{background:#f6f6f6;padding:.6em;white-space:pre-wrap}.add{color:#070;background:#e6ffe6}
.del{color:#a00;background:#ffe6e6}.note{color:#a60}
</style>"""
