"""`python -m megaroth`."""

from megaroth.cli import main

main()
