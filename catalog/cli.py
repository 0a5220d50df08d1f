"""The `catalog` console script's entry point (`catalog.cli:cli`); the commands live in catalog/commands/."""

from catalog.commands import cli

__all__ = ["cli"]
