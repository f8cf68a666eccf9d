import gc

gc.disable()  # a kitgen process is short: no collection passes while it imports (kitgen.cli.run says why)

from kitgen.cli import run  # noqa: E402

run()
