"""Objects as JSON for the cache (:func:`encode`, :func:`decode`): plain values and kitgen's own
dataclasses, pydantic models and ``str`` subclasses, rebuilt without running anything else."""

from __future__ import annotations

import base64
import dataclasses
from datetime import date


def encode(value):
    """A JSON form of plain values, tuples, bytes, dates, kitgen's ``str`` subclasses that say how they are
    rebuilt (``__getnewargs__``: :class:`~kitgen.core.textfield.Text`), kitgen's dataclasses and pydantic
    models (fields, fields set and private attributes)."""
    if value is None or isinstance(value, (bool, int, float)) and type(value) in (bool, int, float):
        return value
    if type(value) is str:
        return value
    if type(value) is list:
        return [encode(v) for v in value]
    if type(value) is tuple:
        return {"$tuple": [encode(v) for v in value]}
    if type(value) is dict:
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if type(value) is bytes:
        return {"$bytes": base64.b64encode(value).decode()}
    if type(value) is date:
        return {"$date": value.isoformat()}
    cls = type(value)
    if not cls.__module__.startswith("kitgen."):
        raise TypeError(f"not kept: {cls.__module__}.{cls.__qualname__}")
    name = f"{cls.__module__}:{cls.__qualname__}"
    if rebuilt_from_args(cls):
        return {"$new": name, "args": [encode(a) for a in value.__getnewargs__()]}
    if dataclasses.is_dataclass(value):
        return {"$dataclass": name, "fields": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if hasattr(cls, "model_fields") and hasattr(value, "__pydantic_fields_set__"):
        private = getattr(value, "__pydantic_private__", None) or {}
        return {"$model": name, "fields": {f: encode(getattr(value, f)) for f in cls.model_fields},
                "set": sorted(value.__pydantic_fields_set__), "private": {k: encode(v) for k, v in private.items()}}
    if isinstance(value, (str, dict, list)):  # a kitgen subclass of a plain type (LineDict, LineList)
        attrs = {k: encode(v) for k, v in vars(value).items()}
        plain = str(value) if isinstance(value, str) else dict(value) if isinstance(value, dict) else list(value)
        return {"$plain": name, "value": encode(plain), "attrs": attrs}
    raise TypeError(f"not kept: {name}")


def decode(value):
    """The value :func:`encode` was given, rebuilt (kitgen's classes only; no validation runs)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (tag, inner), = value.items()
        if tag == "$tuple":
            return tuple(decode(v) for v in inner)
        if tag == "$dict":
            return {_hashable(decode(k)): decode(v) for k, v in inner}
        if tag == "$bytes":
            return base64.b64decode(inner, validate=True)
        if tag == "$date":
            return date.fromisoformat(inner)
    if "$new" in value:
        cls = _kitgen_class(value["$new"])
        if not rebuilt_from_args(cls):
            raise TypeError("not rebuilt from arguments")
        return cls(*[decode(a) for a in value["args"]])
    if "$dataclass" in value:
        cls = _kitgen_class(value["$dataclass"])
        if not dataclasses.is_dataclass(cls):
            raise TypeError("not a dataclass")
        fields = {k: decode(v) for k, v in value["fields"].items()}
        init = {f.name for f in dataclasses.fields(cls) if f.init}
        obj = cls(**{k: v for k, v in fields.items() if k in init})
        for k, v in fields.items():
            if k not in init:
                object.__setattr__(obj, k, v)
        return obj
    if "$model" in value:
        cls = _kitgen_class(value["$model"])
        from pydantic import BaseModel

        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            raise TypeError("not a model")
        fields = {k: decode(v) for k, v in value["fields"].items()}
        obj = cls.model_construct(_fields_set=set(value["set"]), **fields)
        private = {k: decode(v) for k, v in value["private"].items()}
        if private:
            object.__setattr__(obj, "__pydantic_private__", {**(obj.__pydantic_private__ or {}), **private})
        return obj
    if "$plain" in value:
        cls = _kitgen_class(value["$plain"])
        if not (isinstance(cls, type) and issubclass(cls, (str, dict, list))):
            raise TypeError("not a plain subclass")
        obj = cls(decode(value["value"]))
        for k, v in value["attrs"].items():
            setattr(obj, k, decode(v))
        return obj
    raise ValueError("not an encoded value")


def rebuilt_from_args(cls) -> bool:
    """A kitgen ``str`` subclass that names the arguments it is rebuilt from (``__getnewargs__``)."""
    return cls is not str and issubclass(cls, str) and cls.__module__.startswith("kitgen.") and "__getnewargs__" in vars(cls)


def _hashable(value):
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def _kitgen_class(name: str):
    """A class of kitgen's own, by ``module:qualname`` (never imports outside kitgen)."""
    module_name, _, qualname = str(name).partition(":")
    if not module_name.startswith("kitgen.") or not qualname:
        raise TypeError(f"not a kitgen class: {name}")
    import importlib

    obj = importlib.import_module(module_name)
    for part in qualname.split("."):
        if part.startswith("__"):
            raise TypeError(f"not a kitgen class: {name}")
        obj = getattr(obj, part)
    if not isinstance(obj, type):
        raise TypeError(f"not a class: {name}")
    return obj
