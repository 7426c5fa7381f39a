"""The ``auditor`` command's entry point, kept apart from :mod:`auditor.cli`.

Worker processes are started with ``spawn`` (:mod:`auditor.pool`), which begins each worker by
running the parent's main script again, as ``__mp_main__``. For the installed ``auditor``
command that script imports its entry point at the top; were that :mod:`auditor.cli`, every
worker would load the whole command line (typer, rich, the HTTP client, the renderers): about
35 MB and a second of CPU per worker, for nothing it uses. This module imports the CLI only
when the command runs.
"""

from __future__ import annotations


def main() -> None:
    """Run the ``auditor`` command (:func:`auditor.cli.main`)."""
    from auditor.cli import main as cli_main

    cli_main()
