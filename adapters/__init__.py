"""Platform adapters (console, Slack, Discord): platform payloads in, payloads out."""
