"""Periodic jobs that find due work in the database and deliver it through the Outbox."""
