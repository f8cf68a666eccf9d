"""The parts of benchmarks/bench.py, one module per concern."""
