"""What is wrong with the database, as a member or an operator should hear it.

A locked file, a read-only database and a file deleted under the bot are an operator's
trouble, not bugs: each gets one true sentence instead of a traceback or a wrong "busy". The
sentence never quotes the database's own message, which can hold the statement's values
(what a member wrote).
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.db.writer_lane import LaneWaitedTooLong


class DatabaseFileChanged(Exception):  # noqa: N818 - named for what happened, like OSError's
    """The SQLite file an engine opened is no longer the file at its path: deleted, moved or
    replaced. Writing on would confirm writes that nobody will ever read."""


class Fault(Enum):
    BUSY = "the database is busy: another connection holds its write lock"
    READ_ONLY = "the database is read-only, so nothing can be saved"
    FILE_GONE = "the database file was moved or deleted while pivotbot had it open"
    UNREACHABLE = "the database cannot be reached"

    @property
    def reply(self) -> str:
        """The member's line."""
        if self is Fault.BUSY:
            return "pivotbot is busy right now and nothing was saved. Please try again in a moment."
        return f"Nothing was saved: {self.value}. Please tell your cohort admin."


# SQLite's messages (they carry no values), and PostgreSQL's SQLSTATE codes.
_SQLITE = (
    ("database is locked", Fault.BUSY),
    ("database table is locked", Fault.BUSY),
    ("database is busy", Fault.BUSY),
    ("readonly database", Fault.READ_ONLY),
    ("unable to open database file", Fault.UNREACHABLE),
    ("disk i/o error", Fault.UNREACHABLE),
)
_SQLSTATE = {
    "25006": Fault.READ_ONLY,  # read_only_sql_transaction
    "55P03": Fault.BUSY,  # lock_not_available
    "57P03": Fault.UNREACHABLE,  # cannot_connect_now
    "53300": Fault.BUSY,  # too_many_connections
}


# PostgreSQL's answer to transactions that got in each other's way: run one of them again.
_RETRY_STATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def lost_a_race(exc: BaseException) -> bool:
    """Whether another transaction got there first: a unique key taken by a racing request
    (a double press, a second replica) or a deadlock that PostgreSQL broke by aborting us.
    Running the request again gives the answer its write implies."""
    if isinstance(exc, IntegrityError):
        return True
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in _RETRY_STATES


def database_fault(exc: BaseException) -> Fault | None:
    """The operator's fault behind ``exc`` (or anything it was raised from); None for a bug."""
    seen: BaseException | None = exc
    while seen is not None:
        found = _fault_of(seen)
        if found is not None:
            return found
        seen = seen.__cause__ or seen.__context__
    return None


def _fault_of(exc: BaseException) -> Fault | None:
    if isinstance(exc, DatabaseFileChanged):
        return Fault.FILE_GONE
    if isinstance(exc, LaneWaitedTooLong):
        return Fault.BUSY
    if not isinstance(exc, DBAPIError):
        return None
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    if state in _SQLSTATE:
        return _SQLSTATE[state]
    if state.startswith("08") or exc.connection_invalidated:  # the connection went away
        return Fault.UNREACHABLE
    message = str(exc.orig).lower()
    return next((fault for words, fault in _SQLITE if words in message), None)
