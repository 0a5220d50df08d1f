"""`python -m catalog` == the `catalog` command."""

from catalog.cli import cli

if __name__ == "__main__":
    cli(prog_name="catalog")
