"""The ``gdlab`` command line; ``main(argv)`` runs it and returns the exit code."""

from gdlab.cli.main import main

__all__ = ["main"]
