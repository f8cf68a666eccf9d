"""Layer 1, core: findings, the text field, the model base, the environment, the cache seam, the atomic and YAML writers."""
