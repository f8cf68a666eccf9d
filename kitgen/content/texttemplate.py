"""Text templates: kitgen's own note texts and ``{{ org.name }}``-style fields in content.

Everything renders in Jinja2's ``ImmutableSandboxedEnvironment`` with ``StrictUndefined``:
content may say ``{{ org.name }}`` but cannot reach Python internals
(``{{ ''.__class__ }}`` is refused), and an unknown variable is an error rather
than silently empty text.

Jinja's sandbox guards access, not resources, and allows calling methods that change
shared objects. On top of it, a field's template here:

* cannot change anything: lists, dicts and sets refuse their mutating methods
  (immutable sandbox), and the methods of content objects (pydantic models: ``copy``,
  ``model_*``) cannot be called, so one field cannot alter labels, a programme's blocks
  or another organisation's kit, whatever the number of ``--jobs``;
* cannot build huge values: ``*``, ``**``, ``%``, ``~`` and string methods and filters
  with a size argument are checked before they run (``'x' * 10**9`` is refused, it
  never allocates), and ``range`` is capped;
* has a time budget: a watchdog stops a render that runs longer (a plain Python
  loop in the compiled template is interrupted, no ``sys.settrace``), and the
  output is counted as it streams out.

Each overrun is a :class:`TextTemplateError` whose message says what the limit is.
"""

from __future__ import annotations

import math
import re
import threading
from functools import wraps

from kitgen.core.cache import memo

from jinja2 import StrictUndefined, TemplateError
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment
from kitgen.content.texttemplate_errors import explain
from kitgen.content.texttemplate_size import MAX_VALUE, logical_size
from kitgen.content.texttemplate_watchdog import TimeUp, Watchdog
from kitgen.core.envvars import number

MAX_OUTPUT = 100_000  # characters one field may render to (a long facilitator note is ~5 000)
MAX_NUMBER = 100_000  # largest size argument to a filter or string method (widths, counts)
MAX_RANGE = 10_000  # items in one range()
MAX_POWER_BITS = 4_096  # 2 ** 4096 is plenty for any text
TIME_BUDGET_S: float | None = None  # None: KITGEN_TEMPLATE_SECONDS (kitgen.core.envvars: 0.1–600 s, default 2)


def _budget() -> float:
    return TIME_BUDGET_S if TIME_BUDGET_S is not None else number("KITGEN_TEMPLATE_SECONDS")

_MARKERS = ("{{", "{%", "{#")
_WIDTH = re.compile(r"%[-#0 +]*(\d+)|%[-#0 +]*\*|\{[^{}]*:[^{}]*?(\d+)[^{}]*\}")


class TextTemplateError(Exception):
    """A text template could not be rendered; the message says why in a user's words."""


class _Limit(BaseException):
    """A resource limit was hit. A BaseException, so that Jinja's ``except Exception``
    (constant folding, attribute lookups) cannot swallow it."""


def _too_big(what: str) -> _Limit:
    return _Limit(f"{what}; a template field may produce at most {MAX_OUTPUT:,} characters".replace(",", " "))


def _check_number(value) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        raise _Limit(f"the number {value} is too large for a text template (at most {MAX_NUMBER:,})".replace(",", " "))


MAX_BUILT = 16 * 1024 * 1024  # units all the values one field builds may hold together (the 16 MiB budget)
_BUILT = threading.local()  # .units: what the field rendering in this thread has built so far


def _built(value, what: str):
    """Count ``value`` against the field's budgets; :class:`_Limit` when one is passed."""
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    size = logical_size(value)
    if size > MAX_VALUE:
        raise _Limit(f"{what} makes a value of more than {MAX_VALUE // 2**20} MiB (lists repeated inside lists?); "
                     "a text field may build values of at most that size")
    units = getattr(_BUILT, "units", 0) + size
    _BUILT.units = units
    if units > MAX_BUILT:
        raise _Limit(f"the template built more than {MAX_BUILT // 2**20} MiB of values; a text field may build at most that")
    return value


def _size(value) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _safe_mul(left, right):
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and not isinstance(times, bool):
            if len(seq) * max(times, 0) > MAX_OUTPUT:
                raise _too_big(f"repeating a text or list {times} times makes {len(seq) * times} items")
            if isinstance(seq, (list, tuple)) and times > 0 and logical_size(seq, MAX_VALUE // times) * times > MAX_VALUE:
                raise _Limit(f"repeating a list {times} times makes a value of more than {MAX_VALUE // 2**20} MiB "
                             "(lists repeated inside lists); a text field may build values of at most that size")
    return _built(left * right, "repeating a text or list")


def _safe_pow(left, right):
    if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
        if right * math.log2(abs(left)) > MAX_POWER_BITS:
            raise _Limit(f"{left} ** {right} is too large a number for a text template")
    return left ** right


def _safe_mod(left, right):
    if isinstance(left, str):
        _check_format_widths(left)
    return _built(left % right, "% formatting")


def _check_format_widths(text: str) -> None:
    for match in _WIDTH.finditer(text):
        if match.group(0).startswith("%") and "*" in match.group(0):
            raise _Limit("a '*' width in % formatting is not allowed in a text template")
        width = match.group(1) or match.group(2)
        if width and int(width) > MAX_NUMBER:
            raise _too_big(f"a format width of {width}")


def _checked_join(parts) -> str:
    """``a ~ b`` (Jinja's concatenation), with the result's size checked before joining."""
    parts = [str(p) for p in parts]
    if sum(map(len, parts)) > MAX_OUTPUT:
        raise _too_big("joining texts with ~ makes " + str(sum(map(len, parts))) + " characters")
    return _built("".join(parts), "joining texts with ~")


def _budget_range(*args):
    for value in args:
        _check_number(value)
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise _Limit(f"range() of {len(values)} items; a text template may loop over at most {MAX_RANGE} items")
    return values


class _Generator(CodeGenerator):
    """Compiles ``~`` to a size-checked join (Jinja has no hook for concatenation)."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.checked_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _checked_filter(name: str, function):
    @wraps(function)
    def checked(*args, **kwargs):
        values = list(args) + list(kwargs.values())
        for value in values:
            _check_number(value)
        if name == "format" and args:
            for value in values:
                if isinstance(value, str):
                    _check_format_widths(value)
        if name == "replace":
            strings = [v for v in values if isinstance(v, str)]
            if len(strings) >= 3:
                _check_str_method(strings[-3], "replace", tuple(strings[-2:]))
        _check_filter_output(name, args, kwargs)
        for value in values:  # what string/join/tojson/sum would write out of it: checked before it is made
            if isinstance(value, (list, tuple, dict, set, frozenset)) and logical_size(value) > MAX_VALUE:
                raise _Limit(f"the filter {name} gets a value of more than {MAX_VALUE // 2**20} MiB")
        result = function(*args, **kwargs)
        if isinstance(result, __import__("types").GeneratorType):  # map, select …: counted as they are listed
            result = list(_bounded(result, name))
        if _size(result) > MAX_OUTPUT:
            raise _too_big(f"the filter {name} made {_size(result)} characters")
        return _built(result, f"the filter {name}")

    return checked


def _bounded(items, name: str):
    total = 0
    for item in items:
        total += 8 + logical_size(item)
        if total > MAX_VALUE:
            raise _Limit(f"the filter {name} makes a value of more than {MAX_VALUE // 2**20} MiB")
        yield item


def _arg(args, kwargs, index: int, key: str, default=None):
    return kwargs[key] if key in kwargs else args[index] if len(args) > index else default


def _check_filter_output(name: str, args, kwargs) -> None:
    """The filters whose output grows with a separator, width or indent times the input: their
    output's size is estimated before they run (``range(9999) | join('x' * 99999)`` would
    make a 1 GB text, ``indent(99999)`` of 50 000 lines 5 GB)."""
    from jinja2 import Environment
    from jinja2.nodes import EvalContext

    while args and isinstance(args[0], (Environment, EvalContext)):  # pass_environment / pass_eval_context
        args = args[1:]
    value = args[0] if args else None
    estimate = 0
    if name == "join" and isinstance(value, (list, tuple, range, str, dict, set, frozenset)):
        separator = _arg(args, kwargs, 1, "d", "")
        estimate = logical_size(value) + len(str(separator)) * len(value)
    elif name == "indent" and isinstance(value, str):
        width = _arg(args, kwargs, 1, "width", 4)
        width = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        estimate = len(value) + (value.count("\n") + 1) * max(width, 0)
    elif name == "wordwrap" and isinstance(value, str):
        width = _arg(args, kwargs, 1, "width", 79)
        wrap = _arg(args, kwargs, 4, "wrapstring", "\n")
        if isinstance(width, int):
            estimate = len(value) + (len(value) // max(width, 1) + 1) * len(str(wrap or "\n"))
    elif name == "tojson":
        indent = _arg(args, kwargs, 1, "indent", None)
        if isinstance(indent, int) and indent > 0:
            estimate = logical_size(value) * (1 + indent)  # every item on its own line, indented (nesting: more)
    if estimate > MAX_OUTPUT * 10:
        raise _too_big(f"the filter {name} would make about {estimate} characters")


def _clock(value, labels=None) -> str:
    """A content clock time ("08:30") as the org's language writes it (labels' ``clock_format``)."""
    text = str(value or "")
    fmt = (labels or {}).get("clock_format") if isinstance(labels, dict) else None
    if not fmt or len(text) != 5 or text[2] != ":":
        return text
    return fmt.format(hh=text[:2], mm=text[3:], h=str(int(text[:2])))


class _Environment(ImmutableSandboxedEnvironment):
    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.globals = {"range": _budget_range, "dict": self.globals["dict"], "namespace": self.globals["namespace"]}
        self.binop_table.update({"*": _safe_mul, "**": _safe_pow, "%": _safe_mod, "+": self._safe_add})
        self.filters = {name: _checked_filter(name, f) for name, f in self.filters.items()}
        self.filters["clock"] = _clock  # {{ block.start | clock(labels) }}: "08.30" in Danish
        self.checked_join = _checked_join

    @staticmethod
    def _safe_add(left, right):
        if _size(left) + _size(right) > MAX_OUTPUT:
            raise _too_big("adding these texts or lists")
        return _built(left + right, "adding these texts or lists")

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        return not (_is_model(obj) and callable(value))  # content objects: fields only, no methods

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        for value in list(args) + list(kwargs.values()):
            _check_number(value)
        owner = getattr(__obj, "__self__", None)
        if owner is None:
            owner = getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
        if owner is not None and not isinstance(owner, _PLAIN) and not type(owner).__module__.startswith("jinja2"):
            raise _Limit("a template may read the fields of content objects but not call their methods")
        if isinstance(owner, str):
            _check_str_method(owner, getattr(__obj, "__name__", ""), args)
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, (list, tuple, dict, set, frozenset)) and logical_size(value) > MAX_VALUE:
                raise _Limit(f"calling {getattr(__obj, '__name__', 'this')} with a value of more than "
                             f"{MAX_VALUE // 2**20} MiB")
        if isinstance(owner, (list, tuple, dict)) and logical_size(owner) > MAX_VALUE:
            raise _Limit(f"calling {getattr(__obj, '__name__', 'this')} of a value of more than {MAX_VALUE // 2**20} MiB")
        result = super().call(__context, __obj, *args, **kwargs)
        if _size(result) > MAX_OUTPUT:
            raise _too_big(f"calling {getattr(__obj, '__name__', 'this')} made {_size(result)} items")
        return _built(result, f"calling {getattr(__obj, '__name__', 'this')}")


def _check_str_method(text: str, name: str, args: tuple) -> None:
    if name in ("format", "format_map"):
        _check_format_widths(text)
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        hits = len(text) + 1 if args[0] == "" else text.count(args[0])
        if len(text) + hits * len(args[1]) > MAX_OUTPUT:
            raise _too_big("this replace() would make a very long text")
    elif name == "join" and args:
        try:
            pieces = list(args[0])
        except TypeError:
            return
        if sum(len(str(p)) for p in pieces) + len(text) * len(pieces) > MAX_OUTPUT:
            raise _too_big("this join() would make a very long text")
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(v) if isinstance(v, str) else 1 for v in args[0].values()), default=1)
        if len(text) * longest > MAX_OUTPUT:
            raise _too_big("this translate() would make a very long text")
    elif name in ("ljust", "rjust", "center", "zfill") and args and isinstance(args[0], int):
        if args[0] > MAX_OUTPUT:
            raise _too_big(f"a width of {args[0]}")
    elif name == "expandtabs" and args and isinstance(args[0], int):
        if text.count("\t") * args[0] > MAX_OUTPUT:
            raise _too_big("this expandtabs() would make a very long text")


# Values whose (non-mutating) methods a template may call: text, numbers, dates, and read-only
# use of lists and mappings. Methods of anything else (content objects) are not callable.
_PLAIN = (str, int, float, bool, list, tuple, dict, set, frozenset, bytes, __import__("datetime").date,
          __import__("datetime").time, __import__("datetime").timedelta)


def _is_model(obj) -> bool:
    return obj is not None and hasattr(type(obj), "model_fields")


_ENV = _Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@memo(512)
def _compile(source: str):
    """The template for ``source``, compiled once per process (nothing is kept between runs)."""
    return _ENV.from_string(source)


def has_markup(source: str) -> bool:
    """Whether ``source`` holds template markup (``{{``, ``{%``, ``{#``); plain text renders as itself."""
    return bool(source) and any(marker in source for marker in _MARKERS)


def render_text(source: str, context: dict) -> str:
    """Render ``source`` if it holds template markup; plain text is returned as it is."""
    if not source or not any(marker in source for marker in _MARKERS):
        return source
    try:
        return tidy(_render_with_budget(source, context))
    except TemplateError as exc:
        raise TextTemplateError(explain(exc, source, context)) from None
    except _Limit as exc:
        raise TextTemplateError(f"template stopped: {exc}") from None
    except TimeUp:
        raise TextTemplateError(f"template stopped: it ran longer than {_budget():g} s (a loop that does "
                                "not end, or too much work for one text field)") from None
    except RecursionError:
        raise TextTemplateError("template stopped: it calls itself too deeply (a recursive macro?)") from None
    except MemoryError:
        raise TextTemplateError("template stopped: it needs more memory than a text field may use") from None
    except Exception as exc:  # noqa: BLE001 — what a template's own expression raises ('a'.split(''), 1 // 0) is its mistake
        raise TextTemplateError(f"template fails: {type(exc).__name__}: {str(exc)[:160]}; correct the expression "
                                "in the field") from None


def _render_with_budget(source: str, context: dict) -> str:
    template = _compile(source)
    watchdog = Watchdog(_budget())
    _BUILT.units = 0
    with watchdog:
        pieces, total = [], 0
        for piece in template.generate(**context):
            total += len(piece)
            if total > MAX_OUTPUT:
                raise _too_big(f"the text grew past {total} characters")
            pieces.append(piece)
        return "".join(pieces)


def tidy(text: str) -> str:
    """Collapse the blank lines and trailing spaces that template conditionals leave."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line.strip() if not line.strip() else line.lstrip())
    return "\n".join(out).strip()
