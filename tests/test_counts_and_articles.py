"""One helper writes every count and every "a" or "an", so replies read as they are said."""

from __future__ import annotations

import pytest

from bot.views.formatting import plural, with_article
from testkit.driver import BotDriver


@pytest.mark.parametrize(
    ("phrase", "said"),
    [
        ("8-week streak", "an 8-week streak"),
        ("12-week streak", "a 12-week streak"),
        ("11-week streak", "an 11-week streak"),
        ("18-month plan", "an 18-month plan"),
        ("24-month plan", "a 24-month plan"),
        ("80-day run", "an 80-day run"),
        ("1,800-hour year", "a 1,800-hour year"),
        ("18,000-dollar raise", "an 18,000-dollar raise"),
        ("hour", "an hour"),
        ("unit test", "a unit test"),
        ("idea", "an idea"),
        ("streak", "a streak"),
    ],
)
def test_the_article_follows_how_the_phrase_is_said(phrase: str, said: str) -> None:
    assert with_article(phrase) == said


def test_an_article_can_start_a_sentence() -> None:
    assert with_article("18-month plan", capital=True) == "An 18-month plan"


def test_one_of_a_thing_is_singular() -> None:
    assert [plural(n, "member") for n in (0, 1, 2)] == ["0 members", "1 member", "2 members"]


async def test_replies_say_an_18_month_plan_and_1_member(bot: BotDriver) -> None:
    reply = await bot.say("/pivot join months 18 track standard")
    assert reply.text.startswith("An 18-month plan is the fast track, not standard.")
    await bot.say("/pivot join")
    listed = await bot.say("/pivot cohort list", as_="olga")
    assert "spring: started 30 Nov 2026, 1 member, #pivot-spring" in listed.text
