"""OOXML primitives that templates, fitting, rendering and validation share (below ``templates``).

Nothing here knows about kits or plans: each module reads or writes one kind of OOXML
markup, tolerantly, for the layers above.
"""
