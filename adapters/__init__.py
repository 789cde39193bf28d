"""Platform adapters (console, Slack, Discord) and the composition root behind ``pivotbot``."""
