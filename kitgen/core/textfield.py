"""One field shape for every text a person reads: :class:`Text`.

In YAML a text field is either a plain string (in the content's default language,
Danish) or a mapping::

    title: Øvelse 1: Pejlemærker                      # plain
    title: {da: Øvelse 1, en: Exercise 1}             # translated
    steps:
      - da: <the seed's long sentence, word for word>
        slide: <a short text for the slide>           # an editorial condensation, shown on slides
      - da: <a condensed text>
        from: <the seed sentence it condenses>        # checked word for word against the seed
      - {da: <an editor's addition>, editorial: true}

``Text`` is a ``str`` (its value is the default-language text), so code that only
needs the words treats it as a string; code that needs a language, the slide text
or the provenance asks it (:meth:`Text.get`, :meth:`Text.slide_text`).
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
_KEYS = (*LANGUAGES, "slide", "from", "editorial")


class Text(str):
    """A text with optional translations, a short slide text and provenance."""

    translations: dict[str, str]
    slide: dict[str, str]
    condenses: str | None  # the seed sentence this text condenses ("from:")
    editorial: bool  # an editor's addition, not the seed's words

    def __new__(cls, value: str = "", translations: dict[str, str] | None = None, slide: dict[str, str] | None = None,
                condenses: str | None = None, editorial: bool = False) -> "Text":
        self = super().__new__(cls, value)
        self.translations = dict(translations or ({DEFAULT_LANGUAGE: value} if value else {}))
        self.slide = dict(slide or {})
        self.condenses = condenses
        self.editorial = editorial
        return self

    def __getnewargs__(self):  # copy/pickle: rebuild with everything
        return (str(self), self.translations, self.slide, self.condenses, self.editorial)

    def __reduce__(self):
        return (Text, self.__getnewargs__())

    def __deepcopy__(self, memo):
        return self  # immutable in practice: nothing mutates a Text

    def __copy__(self):
        return self

    def has(self, language: str) -> bool:
        return bool(self.translations.get(language))

    def get(self, language: str) -> str:
        """The text in ``language``, or the default-language text when it has no translation."""
        return self.translations.get(language) or str(self)

    def slide_text(self, language: str) -> str:
        """What a slide shows: the short slide text in ``language`` if given, else the text."""
        if language in self.slide:
            return self.slide[language]
        if self.slide and not self.has(language) and DEFAULT_LANGUAGE in self.slide:
            return self.slide[DEFAULT_LANGUAGE]
        return self.get(language)

    @property
    def is_plain(self) -> bool:
        return set(self.translations) <= {DEFAULT_LANGUAGE} and not self.slide and not self.condenses and not self.editorial

    # --- pydantic -------------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            cls.validate, serialization=core_schema.plain_serializer_function_ser_schema(cls.serialise))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema, handler: GetJsonSchemaHandler):
        lang = {"type": "string"}
        per_language = {"type": "object", "properties": {k: lang for k in LANGUAGES}, "additionalProperties": False}
        return {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": False,
                 "properties": {**{k: lang for k in LANGUAGES},
                                "slide": {"anyOf": [lang, per_language], "description": "short text for slides"},
                                "from": {"type": "string", "description": "the seed sentence this text condenses"},
                                "editorial": {"type": "boolean", "description": "an editor's addition, not the seed's"}}},
            ],
            "description": "text: a string, or {da: …, en: …, slide: …, from: …, editorial: true}",
        }

    @staticmethod
    def serialise(value: "Text") -> Any:
        if not isinstance(value, Text) or value.is_plain:
            return str(value)
        out: dict[str, Any] = dict(value.translations)
        if value.slide:
            out["slide"] = value.slide.get(DEFAULT_LANGUAGE) if set(value.slide) == {DEFAULT_LANGUAGE} else dict(value.slide)
        if value.condenses:
            out["from"] = value.condenses
        if value.editorial:
            out["editorial"] = True
        return out

    @classmethod
    def validate(cls, value: Any) -> "Text":
        if isinstance(value, Text):
            return value
        if isinstance(value, bool) or value is None:
            raise PydanticCustomError("string_type", "Input should be a valid string")
        if isinstance(value, (int, float)):
            value = str(value)
        if isinstance(value, str):
            return cls(value.strip())
        if not isinstance(value, dict):
            raise PydanticCustomError("string_type", "Input should be a valid string")
        unknown = [k for k in value if k not in _KEYS]
        if len(value) == 1 and unknown and isinstance(value[unknown[0]], (str, int, float)) and not isinstance(value[unknown[0]], bool):
            key, rest = str(unknown[0]), str(value[unknown[0]])
            if " " in key or key[:1].isupper() or key[:1].isdigit():  # "- Fase 1: afdækning" read as {Fase 1: afdækning}
                whole = f"{key}: {rest}".replace('"', '\\"')
                raise PydanticCustomError(
                    "text_key", 'the text has ": " inside, which YAML reads as a field name; put the text in quotes: "{whole}"',
                    {"whole": whole})
        if unknown:
            key = str(unknown[0])
            close = difflib.get_close_matches(key, _KEYS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"use {', '.join(_KEYS)}"
            raise PydanticCustomError("text_key", "unknown key '{key}' in a text; {hint}", {"key": key, "hint": hint})
        translations = {}
        for language in LANGUAGES:
            if language in value:
                translations[language] = _plain(value[language], language)
        if not translations:
            raise PydanticCustomError("text_empty", "a text mapping needs the text itself, e.g. da: …")
        slide_raw = value.get("slide")
        slide: dict[str, str] = {}
        if isinstance(slide_raw, dict):
            for key, text in slide_raw.items():
                if key not in LANGUAGES:
                    raise PydanticCustomError("text_key", "unknown language '{key}' in slide; use da or en", {"key": str(key)})
                slide[key] = _plain(text, "slide")
        elif slide_raw is not None:
            slide[DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in translations else next(iter(translations))] = _plain(slide_raw, "slide")
        condenses = _plain(value["from"], "from") if value.get("from") is not None else None
        editorial = value.get("editorial", False)
        if not isinstance(editorial, bool):
            raise PydanticCustomError("bool_type", "editorial should be true or false")
        base = translations.get(DEFAULT_LANGUAGE) or next(iter(translations.values()))
        return cls(base, translations, slide, condenses, editorial)


def _plain(value: Any, key: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "'{key}' should be a text", {"key": key})
    return value.strip()


def iter_texts(obj: Any, path: tuple = (), owner: Any = None, field: str | None = None):
    """Every :class:`Text` a loaded content object holds, as ``(path, text, owner, field)``: the key
    path inside its file, the model the text belongs to (for ``line_of``) and that model's field.
    Only fields written in the file are walked; ``editor_note`` (shown by no output) is not."""
    from pydantic import BaseModel

    if isinstance(obj, Text):
        yield path, obj, owner, field
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name in obj.model_fields_set and name != "editor_note":
                yield from iter_texts(getattr(obj, name), path + (name,), obj, name)
    elif isinstance(obj, (list, tuple)):
        for index, value in enumerate(obj):
            yield from iter_texts(value, path + (index,), owner, field)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if isinstance(key, str):
                yield from iter_texts(value, path + (key,), owner, field)


def text_of(value: Any, language: str) -> str:
    """Any text-ish value in ``language`` (plain strings are returned as they are)."""
    if isinstance(value, Text):
        return value.get(language)
    return "" if value is None else str(value)
