"""Many workspaces through OAuth: each sees only its own cohorts, uses only its own token, and
leaves cleanly when it removes the app."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import ManualClock
from bot.db.engine import session_factory
from bot.db.models import Delivery, Tenant
from bot.domain.deliveries import DeliveryKey, DeliveryKind, PlannedDelivery
from bot.domain.weeks import IsoWeek
from bot.messages import ChatUser, Reply
from bot.ports import Sent, Undeliverable
from bot.services.deliveries import enqueue
from bot.services.tenancy import ensure_tenant
from tests.support.slack_harness import SlackHarness


async def queue_nudge(engine: AsyncEngine, team: str, now: datetime) -> None:
    async with session_factory(engine)() as session, session.begin():
        tenant = await ensure_tenant(session, "slack", team, now)
        week = IsoWeek(2026, 49)
        nudge = PlannedDelivery(
            DeliveryKey(DeliveryKind.NUDGE, tenant.id, week=week),
            tenant.id,
            Reply("Time to check in"),
            user_id="UADA",
            period=str(week),
        )
        await enqueue(session, [nudge], now)


async def statuses(engine: AsyncEngine) -> dict[str, tuple[str, str | None]]:
    """Each queued nudge's status and error, as ``nudge:<workspace>:<week>``."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(Tenant.external_id, Delivery.period, Delivery.status, Delivery.last_error)
            .join(Tenant, Tenant.id == Delivery.tenant_id)
            .where(Delivery.kind == DeliveryKind.NUDGE)
        )
    return {f"nudge:{team}:{week}": (status, error) for team, week, status, error in rows}


async def test_two_workspaces_see_only_their_own_cohorts(slack_oauth: SlackHarness) -> None:
    await slack_oauth.install("T1")
    await slack_oauth.install("T2")
    await slack_oauth.command("/pivot cohort create alpha", user="UOLGA", team="T1")
    await slack_oauth.command("/pivot cohort create beta", user="UOLGA", team="T2")
    in_t1 = await slack_oauth.command("/pivot cohort list", user="UOLGA", team="T1")
    in_t2 = await slack_oauth.command("/pivot cohort list", user="UOLGA", team="T2")
    assert "alpha" in in_t1.text
    assert "beta" not in in_t1.text
    assert "beta" in in_t2.text
    assert "alpha" not in in_t2.text
    joined = await slack_oauth.command("/pivot join beta", team="T1")
    assert "There's no cohort `beta` here" in joined.text


async def test_each_workspace_is_answered_with_its_own_token(slack_oauth: SlackHarness) -> None:
    await slack_oauth.install("T1")
    await slack_oauth.install("T2")
    await slack_oauth.command("/pivot help", user="UADA", team="T1")
    await slack_oauth.command("/pivot help", user="UGRACE", team="T2")
    tokens = {c.args["user"]: c.token for c in slack_oauth.fake.calls_to("users.info")}
    assert tokens == {"UADA": "xoxb-T1", "UGRACE": "xoxb-T2"}
    outbox = slack_oauth.service.outbox
    assert isinstance(
        await outbox.send_dm(ChatUser("slack", "T2", "UGRACE", "Grace"), Reply("hi")), Sent
    )
    assert slack_oauth.fake.calls_to("chat.postMessage")[-1].token == "xoxb-T2"


async def test_install_pages_and_token_exchange_use_slack_api_url(
    slack_oauth: SlackHarness,
) -> None:
    async with slack_oauth.http.get(slack_oauth.url + "/slack/install") as page:
        html = await page.text()
    assert f"{slack_oauth.fake.base_url}/oauth/v2/authorize?state=" in html
    assert "scope=commands,chat:write,im:write,users:read" in html.replace("%2C", ",").replace(
        "%3A", ":"
    )
    await slack_oauth.install("T1")
    (exchange,) = slack_oauth.fake.calls_to("oauth.v2.access")
    assert exchange.args["code"] == "code-T1"


async def test_uninstalling_drops_the_workspaces_token_and_cancels_its_messages(
    slack_oauth: SlackHarness, engine: AsyncEngine, clock: ManualClock
) -> None:
    await slack_oauth.install("T1")
    await slack_oauth.install("T2")
    await queue_nudge(engine, "T1", clock.now())
    await queue_nudge(engine, "T2", clock.now())
    response = await slack_oauth.event({"type": "app_uninstalled"}, event_id="EvBye", team="T1")
    assert response.status == 200
    await slack_oauth.settled()
    after = await statuses(engine)
    assert after["nudge:T1:2026-W49"] == (
        "cancelled",
        "the app was uninstalled from this workspace",
    )
    assert after["nudge:T2:2026-W49"] == ("pending", None)
    outbox = slack_oauth.service.outbox
    gone = await outbox.send_dm(ChatUser("slack", "T1", "UADA", "Ada"), Reply("hi"))
    assert isinstance(gone, Undeliverable)
    assert isinstance(
        await outbox.send_dm(ChatUser("slack", "T2", "UADA", "Ada"), Reply("hi")), Sent
    )


async def test_revoked_bot_token_is_dropped_and_its_messages_cancelled(
    slack_oauth: SlackHarness, engine: AsyncEngine, clock: ManualClock
) -> None:
    await slack_oauth.install("T1")
    await queue_nudge(engine, "T1", clock.now())
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    await slack_oauth.event(revoked, event_id="EvRevoked", team="T1")
    await slack_oauth.settled()
    assert (await statuses(engine))["nudge:T1:2026-W49"][0] == "cancelled"
    gone = await slack_oauth.service.outbox.send_dm(ChatUser("slack", "T1", "UADA", ""), Reply("x"))
    assert isinstance(gone, Undeliverable)


async def test_uninstall_with_a_configured_token_still_cancels_the_messages(
    slack: SlackHarness, engine: AsyncEngine, clock: ManualClock
) -> None:
    await queue_nudge(engine, "T1", clock.now())
    await slack.event({"type": "app_uninstalled"}, event_id="EvBye")
    await slack.settled()
    assert (await statuses(engine))["nudge:T1:2026-W49"][0] == "cancelled"
