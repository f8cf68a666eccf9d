import gc

gc.disable()  # a kitgen process is short: no collection passes while it imports (kitgen.cli.main.run says why)

from kitgen.cli.main import run  # noqa: E402

run()
