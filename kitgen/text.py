"""Text templates: kitgen's own note texts and ``{{ org.name }}``-style fields in content.

Everything renders in Jinja2's ``SandboxedEnvironment`` with ``StrictUndefined``:
content may say ``{{ org.name }}`` but cannot reach Python internals
(``{{ ''.__class__ }}`` is refused), and an unknown variable is an error rather
than silently empty text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_MARKERS = ("{{", "{%", "{#")
_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")


class TextTemplateError(Exception):
    """A text template could not be rendered; the message says why in a user's words."""


@lru_cache(maxsize=512)
def _compile(source: str):
    return _ENV.from_string(source)


def render_text(source: str, context: dict) -> str:
    """Render ``source`` if it holds template markup; plain text is returned as it is."""
    if not source or not any(marker in source for marker in _MARKERS):
        return source
    try:
        rendered = _compile(source).render(**context)
    except TemplateError as exc:
        raise TextTemplateError(_explain(exc)) from None
    return tidy(rendered)


def tidy(text: str) -> str:
    """Collapse the blank lines and trailing spaces that template conditionals leave."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line.strip() if not line.strip() else line.lstrip())
    return "\n".join(out).strip()


def _explain(exc: TemplateError) -> str:
    message = getattr(exc, "message", None) or str(exc)
    if "unsafe" in message or "access to attribute" in message:
        return f"template tries to reach something it may not ({message}); only plain fields such as {{{{ org.name }}}} are allowed"
    if "is undefined" in message:
        name = message.split(" is undefined")[0]
        return (f"template uses {name}, which is not defined; available are org, programme, block, labels, date, "
                "breaks (and tool, quote, questions in note texts)")
    return f"template error: {message}"
