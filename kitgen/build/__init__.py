"""Layer 8, build: the pipeline, the input graph, the up-to-date check, writing, locks, PDFs, preview, serve and diff."""
