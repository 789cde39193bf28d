"""Queries and writes shared by commands and the scheduler; every one is scoped to a tenant."""
