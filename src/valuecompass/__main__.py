"""``python -m valuecompass``: the same as the ``valuecompass`` command."""

from valuecompass.cli import main

main()
