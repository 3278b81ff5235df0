"""`python -m residency` runs the command line."""

from residency.cli import app

app(prog_name="residency")
