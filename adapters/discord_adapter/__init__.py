"""Discord: ``/pivot`` app commands generated from the specs, embeds, persistent buttons,
the check-in form, and the ``Outbox`` and ``Directory`` ports, on discord.py."""
