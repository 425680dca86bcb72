"""The commands of ``python -m publish``, one module each, each with ``run(args) -> int``
(the exit status). Only :mod:`publish.cli` imports them."""
