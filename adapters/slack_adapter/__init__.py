"""Slack: ``/pivot`` through slack-bolt, one workspace or many."""
