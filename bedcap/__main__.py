"""`python -m bedcap`: the same as the `bedcap` command."""

from bedcap.cli import main

main()
