"""`python -m assistant.cli`: identical to `hcb`."""

from .main import main

main()
