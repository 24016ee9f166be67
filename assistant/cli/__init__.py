"""`hcb`, the command line: one module per command group, thin over the public API."""

from .main import app, main

__all__ = ["app", "main"]
