"""CLI commands that live in their own modules, registered on the click group in tui/cli.py."""
