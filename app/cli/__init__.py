"""The `praverka` command line."""

from praverka.app.cli.main import main

__all__ = ["main"]
