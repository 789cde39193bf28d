"""The dispatcher: one Invocation in, one Reply out, inside one transaction.

This is the only place that turns failures into replies. A user mistake (``UsageError``)
becomes one line; anything else is a bug, logged with a reference and answered with an
apology, and in both cases the transaction rolls back so nothing is half-written.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.bug_reply import bug_line
from bot.commands.catalogue import default_registry
from bot.commands.errors import UsageError, one_line
from bot.commands.parsing import parse_text, validate
from bot.commands.spec import Args, CommandSpec, Context, Registry
from bot.config import Settings
from bot.content.loader import ContentLibrary
from bot.database_faults import database_fault, lost_a_race
from bot.db.base import column_length
from bot.db.engine import writer_lane
from bot.db.models import Cohort, HandledRequest, Member, Tenant
from bot.log_context import logging_as, of_invocation
from bot.messages import ArgValue, Invocation, Reply
from bot.page_access import PageResult
from bot.platform_records import PlatformRecords
from bot.ports import Clock, Directory
from bot.reply_codec import reply_from_dict, reply_to_dict
from bot.services.page_opening import open_page
from bot.services.tenancy import (
    KnownMember,
    admin_cohort_ids,
    ensure_tenant,
    find_member_and_cohort,
    known_member,
)
from bot.telemetry import NoTelemetry, ReplyOutcome, Telemetry

log = logging.getLogger(__name__)

# A request that lost a race to another (see ``lost_a_race``) runs again, this many times in all.
ATTEMPTS = 3
UNKNOWN_COMMAND = "unknown"  # the metrics' name for text that named no command


@dataclass
class PivotCore:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    content: ContentLibrary
    settings: Settings
    registry: Registry = field(default_factory=default_registry)
    directories: dict[str, Directory] = field(default_factory=dict)  # by platform
    telemetry: Telemetry = field(default_factory=NoTelemetry)
    # Sessions for read-only commands, beside the writers: on SQLite an engine with deferred
    # transactions, outside the writer lane. None: they share ``sessions``.
    readers: async_sessionmaker[AsyncSession] | None = None

    @property
    def records(self) -> PlatformRecords:
        """What adapters keep or look up outside a command (see ``bot.platform_records``)."""
        return PlatformRecords(self.sessions, self.clock, self.content)

    async def answer(self, inv: Invocation) -> Reply:
        """Answer one invocation: always a reply, never an exception, and all its writes or none.

        Reading the request sits inside the same guard as running it: a bug in a parser or a
        validator is still a bug reply, never a request left unanswered.
        """
        started = time.perf_counter()
        with logging_as(of_invocation(inv)):
            command, outcome, reply = await self._answer(inv)
        seconds = time.perf_counter() - started
        self.telemetry.command_answered(inv.user.platform, command, outcome, seconds)
        return reply

    async def _answer(self, inv: Invocation) -> tuple[str, ReplyOutcome, Reply]:
        """The command's name (for the log and the metrics: never what the member wrote), how
        the answer went, and the answer."""
        command = UNKNOWN_COMMAND
        context = of_invocation(inv)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                spec, args = self.resolve(inv)
                command = spec.name
                # Once parsed, the log knows the command and which words to strike out.
                context = of_invocation(inv, spec.name, args)
                with logging_as(context):
                    return command, ReplyOutcome.OK, await self._run(spec, args, inv)
            except UsageError as exc:
                return command, ReplyOutcome.USAGE_ERROR, Reply.error(one_line(str(exc)))
            except Exception as exc:
                if lost_a_race(exc) and attempt < ATTEMPTS:
                    continue
                with logging_as(context):
                    fault = database_fault(exc)
                    if fault is None:
                        return command, ReplyOutcome.BUG, self._bug(inv, command)
                    log.warning("database fault answering %s: %s", command, fault.name)
                    return command, ReplyOutcome.BUSY, Reply.error(fault.reply)
        raise AssertionError("unreachable")

    async def open_page(self, token: str) -> PageResult:
        """A web page's link opened: the page, or why not (403 not ours, 410 no longer works).

        One read transaction holds every check and the page, so a page never shows a member
        forgotten between the check and the read. A fault reaches the caller, which answers
        with an error status rather than a page.
        """
        # Opening a page writes nothing, so on SQLite it reads beside the writers' lane.
        async with (self.readers or self.sessions)() as session, session.begin():
            return await open_page(
                session, self.settings, self.content, token, self.clock.now(), self._is_admin
            )

    async def _is_admin(self, platform: str, tenant_id: str, user_id: str) -> bool | None:
        directory = self.directories.get(platform)
        return None if directory is None else await directory.is_admin(tenant_id, user_id)

    def may_change(self, inv: Invocation) -> bool:
        """Whether answering ``inv`` may change what its member sees elsewhere, such as the
        Slack App Home: not for a read-only command, nor for text that names no command."""
        try:
            spec, _args = self.resolve(inv)
        except UsageError:
            return False
        return not spec.read_only and spec.changes_views

    def writers_waiting(self) -> int:
        """How many write transactions of this process queue in SQLite's writer lane (always
        0 on PostgreSQL). Work that can wait, such as refreshing a Home tab, waits for them."""
        bind = self.sessions.kw.get("bind")
        lane = writer_lane(bind) if isinstance(bind, AsyncEngine) else None
        return 0 if lane is None else lane.waiting

    def asks_who(self, inv: Invocation) -> bool:
        """Whether the answer to ``inv`` depends on who is asking beyond their id (see
        ``CommandSpec.asks_who``); text that names no command asks nothing."""
        try:
            spec, _args = self.resolve(inv)
        except UsageError:
            return False
        return spec.asks_who

    def resolve(self, inv: Invocation) -> tuple[CommandSpec, dict[str, ArgValue]]:
        """Find the spec and validated arguments, from free text or from typed options."""
        _check_ids(inv)
        if inv.command:
            spec = self.registry.get(inv.command)
            if spec is None:
                raise UsageError(f"Unknown command `{inv.command[:40]}`. Type `/pivot help`.")
            return spec, validate(spec, inv.args)
        text = inv.raw_text.strip()
        spec, tokens = self.registry.resolve_text(text or "help")
        return spec, parse_text(spec, tokens)

    def _bug(self, inv: Invocation, command: str) -> Reply:
        """The command's name goes in the log, never the text the member typed."""
        line = bug_line(
            log,
            "command %s failed for %s:%s:%s",
            command,
            inv.user.platform,
            inv.user.tenant_id,
            inv.user.user_id,
        )
        return Reply.error(line)

    async def _run(self, spec: CommandSpec, args: dict[str, ArgValue], inv: Invocation) -> Reply:
        if spec.read_only and self.readers is not None:
            reply = await self._read(spec, args, inv)
            if reply is not None:
                return reply
        return await self._write(spec, args, inv)

    async def _read(
        self, spec: CommandSpec, args: dict[str, ArgValue], inv: Invocation
    ) -> Reply | None:
        """A read-only command of a known member, beside the writers; None when it has
        something to write after all (a first request, a new display name), so it runs as a
        writer instead."""
        assert self.readers is not None
        user = inv.user
        async with self.readers() as session, session.begin():
            known = await known_member(
                session, user.platform, user.tenant_id, user.user_id, request=None, lock=False
            )
            name = user.display_name[: column_length(Member.display_name)]
            if known is None or (name and known.member.display_name != name):
                return None
            ctx = self._context(session, known.tenant, args, inv, self.clock.now())
            await self._identify(ctx, inv, spec, known)
            if spec.needs_member:
                ctx.joined()
            if spec.admin_only and not ctx.is_admin:
                raise UsageError(f"Only cohort admins can run `{spec.typed_name}`.")
            return await spec.handler(inv, ctx)

    def _context(
        self,
        session: AsyncSession,
        tenant: Tenant,
        args: dict[str, ArgValue],
        inv: Invocation,
        now: datetime,
    ) -> Context:
        return Context(
            session=session,
            now=now,
            content=self.content,
            settings=self.settings,
            tenant=tenant,
            args=Args(args),
            registry=self.registry,
            directory=self.directories.get(inv.user.platform),
        )

    async def _write(self, spec: CommandSpec, args: dict[str, ArgValue], inv: Invocation) -> Reply:
        now = self.clock.now()
        request = (spec.name, inv.request_id) if spec.dedupe and inv.request_id else None
        async with self.sessions() as session, session.begin():
            known = None
            if spec.needs_member:
                user = inv.user
                known = await known_member(
                    session, user.platform, user.tenant_id, user.user_id, request=request, lock=True
                )
            if known is not None:
                tenant, earlier = known.tenant, known.earlier_reply
            else:
                tenant = await ensure_tenant(session, inv.user.platform, inv.user.tenant_id, now)
                earlier = await _earlier_reply(session, tenant, inv, request)
            if earlier is not None:
                return reply_from_dict(earlier)
            ctx = self._context(session, tenant, args, inv, now)
            await self._identify(ctx, inv, spec, known)
            if spec.needs_member:
                ctx.joined()
            if spec.admin_only and not ctx.is_admin:
                raise UsageError(f"Only cohort admins can run `{spec.typed_name}`.")
            reply = await spec.handler(inv, ctx)
            if request is not None:
                session.add(
                    HandledRequest(
                        tenant_id=tenant.id,
                        request_id=request[1],
                        user_id=inv.user.user_id,
                        command=spec.name,
                        reply=_storable(reply),
                        handled_at=now,
                    )
                )
            return reply

    async def _identify(
        self, ctx: Context, inv: Invocation, spec: CommandSpec, known: KnownMember | None
    ) -> None:
        """Load the member and their cohort in one query (unless ``known`` has them); and,
        for the commands that care, whether they may run admin commands."""
        found = (
            (known.member, known.cohort)
            if known is not None
            else await find_member_and_cohort(ctx.session, ctx.tenant.id, inv.user.user_id)
        )
        if found is not None:
            ctx.member, ctx.cohort = found
            name = inv.user.display_name[: column_length(Member.display_name)]
            if name and ctx.member.display_name != name:
                ctx.member.display_name = name
        if spec.admin_only or spec.shows_admin_commands:
            stored = await admin_cohort_ids(ctx.session, ctx.tenant.id, inv.user.user_id)
            ctx.is_admin = inv.user.is_platform_admin or bool(stored)


async def _earlier_reply(
    session: AsyncSession, tenant: Tenant, inv: Invocation, request: tuple[str, str] | None
) -> dict[str, Any] | None:
    """The stored answer to this very request (a retry), if it was answered before."""
    if request is None:
        return None
    command, request_id = request
    return await session.scalar(
        select(HandledRequest.reply).where(
            HandledRequest.tenant_id == tenant.id,
            HandledRequest.user_id == inv.user.user_id,
            HandledRequest.command == command,
            HandledRequest.request_id == request_id,
        )
    )


def _check_ids(inv: Invocation) -> None:
    """The platform's ids are stored as they come, so one longer than its column (from a
    broken or hostile client) is refused here rather than by PostgreSQL alone."""
    ids = (
        ("workspace id", inv.user.tenant_id, Tenant.external_id),
        ("user id", inv.user.user_id, Member.user_id),
        ("channel id", inv.origin.channel_id or "", Cohort.channel_id),
        ("request id", inv.request_id or "", HandledRequest.request_id),
    )
    for what, value, column in ids:
        limit = column_length(column)
        if len(value) > limit:
            raise UsageError(
                f"pivotbot can't take this request: its {what} is {len(value)} characters, "
                f"and the limit is {limit}."
            )


def _storable(reply: Reply) -> dict[str, Any]:
    """Attachments are not kept in the request log; a retry gets the text without the file."""
    data = reply_to_dict(reply)
    data["blocks"] = [b for b in data["blocks"] if b["type"] not in ("attachment", "image")]
    return data
