"""Subcommands of ``python -m app.cli``; each module exposes ``register(subparsers)``."""
