"""Client templates: cleaning (clean.py), inspection (inspect.py), layout choice (choose.py),
Word styles made whole (wordstyles.py)."""
