"""What tests and benchmarks share to drive pivotbot for real: local fakes of Slack's and
Discord's APIs on loopback, the requests and payloads those platforms send, a recording
outbox, and a driver that talks to the core as a conversation."""
