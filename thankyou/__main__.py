"""Run the command line as ``python -m thankyou``."""

from thankyou.cli import main

main()
