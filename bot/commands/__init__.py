"""Command specs, their parsing, and one module per command family."""
