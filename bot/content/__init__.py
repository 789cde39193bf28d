"""Roadmap, compensation and quiz content, validated against a schema when loaded."""
