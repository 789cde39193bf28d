"""Free text into validated arguments, with one-line errors that say what was expected."""

from __future__ import annotations

import pytest

from bot.commands.catalogue import default_registry
from bot.commands.errors import UsageError
from bot.commands.parsing import parse_text
from bot.commands.tokens import tokenize

REGISTRY = default_registry()


def parse(text: str) -> tuple[str, dict[str, object]]:
    spec, tokens = REGISTRY.resolve_text(text)
    return spec.name, parse_text(spec, tokens)


def test_checkin_splits_hours_summary_blockers_and_confidence_on_bars() -> None:
    name, args = parse("checkin 6h shipped flask service | blocked on docker networking | 4")
    assert name == "checkin"
    assert args == {
        "week": "this",
        "hours": 6.0,
        "summary": "shipped flask service",
        "blockers": "blocked on docker networking",
        "confidence": 4,
    }


def test_checkin_last_is_for_last_week_and_this_is_the_default() -> None:
    assert parse("checkin last 4h wrote the tests")[1]["week"] == "last"
    assert parse("checkin this 4h wrote the tests")[1]["week"] == "this"
    assert parse("checkin 4h last of the tests")[1]["summary"] == "last of the tests"


def test_hours_written_with_a_space_before_the_unit_are_still_hours() -> None:
    _, args = parse("checkin 6 h did stuff")
    assert (args["hours"], args["summary"]) == (6.0, "did stuff")
    _, args = parse("checkin last 1.5 hours read a chapter")
    assert (args["week"], args["hours"], args["summary"]) == ("last", 1.5, "read a chapter")


def test_checkin_without_blockers_leaves_them_empty() -> None:
    _, args = parse("checkin 1.5h read the requests source")
    assert args["hours"] == 1.5
    assert args["blockers"] is None
    _, args = parse("checkin 2h did things | | 3")
    assert args["blockers"] is None
    assert args["confidence"] == 3


def test_keyword_arguments_can_come_in_any_order() -> None:
    _, args = parse("join demo tz Europe/Berlin level senior track fast")
    assert args["cohort"] == "demo"
    assert args["track"] == "fast"
    assert args["level"] == "senior"
    assert args["tz"] == "Europe/Berlin"


def test_multi_word_commands_and_aliases_resolve() -> None:
    assert parse("settings nudge tue 18:30") == ("settings nudge", {"weekday": 1, "time": "18:30"})
    assert parse("settings")[0] == "settings show"
    assert parse("CHECK-IN 3h x")[0] == "checkin"


def test_slack_mentions_stay_whole_and_become_ids() -> None:
    assert tokenize("cohort admin add <@U123|sam> spring") == [
        "cohort",
        "admin",
        "add",
        "<@U123|sam>",
        "spring",
    ]
    _, args = parse("cohort admin add <@U123|sam> spring")
    assert args["user"] == "U123|sam"
    _, args = parse("cohort channel spring <#C42|pivot-spring>")
    assert args["channel"] == "C42|pivot-spring"
    _, args = parse("cohort channel spring #pivot-spring")
    assert args["channel"] == "pivot-spring|pivot-spring"


def _error(text: str) -> str:
    with pytest.raises(UsageError) as caught:
        parse(text)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("checkin", "Missing <hours>h"),
        ("checkin six hours of work", "hours must look like 6h"),
        ("checkin 500h too much", "at most 80h"),
        ("checkin 5h did things | none | 9", "confidence must be at most 5"),
        ("pause soon", "weeks must be a whole number"),
        ("pause 40", "weeks must be at most 12"),
        ("settings tz Mars/Olympus", "timezone like Europe/Berlin"),
        ("settings nudge someday 09:00", "weekday like monday"),
        ("settings nudge monday 9am", "24-hour time like 09:00"),
        ("settings dms maybe", "state must be one of on, off"),
        ("done write-tests not-a-link", "link starting with https://"),
        ("join track turbo", "track must be one of standard, fast"),
        ("cohort create spring start next-week", "date like 2027-01-04"),
        ("status now please", "Unexpected `now`"),
    ],
)
def test_every_mistake_gets_one_line_with_what_was_expected_and_an_example(
    text: str, expected: str
) -> None:
    message = _error(text)
    assert expected in message
    assert "Expected `/pivot" in message
    assert "e.g. `/pivot" in message
    assert "\n" not in message


def test_an_unknown_command_suggests_the_nearest_one() -> None:
    assert "Did you mean `checkin`? `/pivot help checkin` explains it." in _error("chekin 5h")
    assert "Did you mean `milestones`?" in _error("milestone")


def test_a_group_without_its_subcommand_lists_the_choices() -> None:
    message = _error("cohort")
    assert "create" in message
    assert "list" in message


def test_text_over_the_limit_is_refused_not_truncated() -> None:
    message = _error("checkin 5h " + "x" * 501)
    assert "summary is 501 characters; the limit is 500" in message
    assert "limit is 2000" in _error("checkin 5h " + "y " * 1200)


def test_unicode_and_sql_looking_text_are_just_text() -> None:
    _, args = parse("checkin 3h fixed 🐍 tests; DROP TABLE members; -- | «ничего»")
    assert args["summary"] == "fixed 🐍 tests; DROP TABLE members; --"
    assert args["blockers"] == "«ничего»"


def test_help_is_generated_from_every_spec() -> None:
    for spec in REGISTRY.specs:
        assert spec.usage.startswith(f"/pivot {spec.typed_name}")
        assert spec.example.startswith(f"/pivot {spec.name.split()[0]}")
        assert 1 <= len(spec.summary) <= 100


def test_a_name_typed_with_a_space_is_refused_with_the_joined_form() -> None:
    message = _error("cohort create Spring 2027")
    assert message.startswith("`Spring 2027`: name is one word (join the words with dashes")
    assert "e.g. `spring-2027`" in message
    assert "a channel starts with # (e.g. #2027)" in message
    assert "Expected `/pivot cohort create <name>" in message
    renamed = _error("cohort rename spring Spring 2027")
    assert renamed.startswith("`Spring 2027`: new is one word; join the words with dashes")


def test_a_channel_is_a_mention_or_a_hash_name_never_a_bare_word() -> None:
    assert "channel must be a mention like #pivot-spring, not `general`" in _error(
        "cohort create spring start 2027-01-04 general"
    )
    _, args = parse("cohort create spring #general")
    assert args["channel"] == "general|general"
    _, args = parse("cohort admin add sam spring")  # a person may still be typed bare
    assert args["user"] == "sam|sam"
