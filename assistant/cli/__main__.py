"""`python -m assistant.cli`: the same as `hcb`."""

from .main import main

main()
