"""Diagrams as data: a tool or question group may carry ``diagram: {kind: …, …}``.

``schema.py`` holds one pydantic model per kind (the content format); the drawing
code lives in ``kitgen/render/diagrams/``, one module per kind.
"""
