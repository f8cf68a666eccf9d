"""Layer 2, content: the content model, YAML reading, loading, schedules, text templates, layouts and fonts."""
