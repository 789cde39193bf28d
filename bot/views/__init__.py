"""Renderings of core values as neutral replies; adapters turn these into platform UI."""
