"""Turn free text or platform options into validated arguments, using only the specs.

Every problem becomes a :class:`UsageError` whose message is one line: what was wrong, what
was expected and an example.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from urllib.parse import urlsplit

from bot.commands.errors import UsageError
from bot.commands.spec import Arg, ArgKind, CommandSpec
from bot.db.base import INTEGER_MAX, INTEGER_MIN, column_length
from bot.db.models import Cohort, CohortAdmin, Member
from bot.domain.timezones import known_timezone
from bot.domain.weeks import SUPPORTED_DAYS, WEEKDAYS, is_supported
from bot.messages import ArgValue

_HOURS = re.compile(r"^(\d{1,3}(?:[.,]\d{1,2})?)\s*(?:h|hr|hrs|hour|hours)?$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d{1,3}(?:[.,]\d{1,2})?$")
_HOURS_UNIT = re.compile(r"^(?:h|hr|hrs|hour|hours)$", re.IGNORECASE)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_USER_MENTION = re.compile(r"^<@([A-Za-z0-9_]+)(?:\|([^<>]*))?>$")
_CHANNEL_MENTION = re.compile(r"^<#([A-Za-z0-9_]+)(?:\|([^<>]*))?>$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_REF = re.compile(r"^([A-Za-z0-9_]+)\|([^<>|\n]+)$")  # the normal form, "id|name"

# A mention's id and name are stored as given: a user's as a cohort admin (and shown under a
# member's name), a channel's as the cohort's channel. Their lengths come from those columns.
_ID_LIMIT = {
    ArgKind.USER: column_length(CohortAdmin.user_id),
    ArgKind.CHANNEL: column_length(Cohort.channel_id),
}
_NAME_LIMIT = {
    ArgKind.USER: column_length(Member.display_name),
    ArgKind.CHANNEL: column_length(Cohort.channel_name),
}


# Kinds whose length is the user's choice; the others fail on their own format first.
_FREE_FORM = frozenset(
    {ArgKind.TEXT, ArgKind.WORD, ArgKind.URL, ArgKind.USER, ArgKind.CHANNEL, ArgKind.TIMEZONE}
)


def expectation(spec: CommandSpec) -> str:
    return f"Expected `{spec.usage}`, e.g. `{spec.example}`."


def parse_text(spec: CommandSpec, tokens: list[str]) -> dict[str, ArgValue]:
    """Assign tokens to the spec's arguments, then validate them like any other input."""
    raw: dict[str, str] = {}
    keywords = {a.name: a for a in spec.visible_args if a.keyword}
    positional = [a for a in spec.visible_args if not a.keyword]
    index = 0
    word: tuple[Arg, str] | None = None  # a one-word argument given by the token just before
    while index < len(tokens):
        token = tokens[index]
        if token == "|":  # noqa: S105 - the separator, not a secret
            index += 1
            empty_segment = index == len(tokens) or tokens[index] == "|"
            if empty_segment and positional and positional[0].kind is ArgKind.TEXT:
                raw[positional.pop(0).name] = ""  # "did x | | 4" leaves the blockers empty
            word = None
            continue
        name, _, inline = token.partition("=")
        arg = keywords.pop(name.lower(), None) if inline or index + 1 < len(tokens) else None
        if arg is not None:
            if inline:
                raw[arg.name] = inline
                index += 1
            else:
                index, raw[arg.name] = _take(arg, tokens, index + 1)
            word = None
            continue
        if word is not None and name.lower() not in keywords and _continues_word(token, positional):
            raise UsageError(_one_word(spec, *word, token, channel_next=bool(positional)))
        while len(positional) > 1 and _passes_over(positional[0], token):
            positional.pop(0)
        if not positional:
            raise UsageError(f"Unexpected `{token[:40]}`. {expectation(spec)}")
        arg = positional.pop(0)
        index, raw[arg.name] = _take(arg, tokens, index)
        word = (arg, token) if arg.kind is ArgKind.WORD else None
    return validate(spec, raw)


def _continues_word(token: str, positional: list[Arg]) -> bool:
    """A plain word where no plain word fits: the rest of a name typed with a space, as in
    ``cohort create Spring 2027``. A channel must be written as one, so it never is."""
    fits = bool(positional) and positional[0].kind is not ArgKind.CHANNEL
    return not fits and _NAME.match(token) is not None


def _one_word(spec: CommandSpec, arg: Arg, first: str, second: str, *, channel_next: bool) -> str:
    joined = f"{first}-{second}".lower()[:40]
    words = f"`{first[:40]} {second[:40]}`"
    hint = f"join the words with dashes, e.g. `{joined}`"
    if channel_next:
        return (
            f"{words}: {arg.name} is one word ({hint}), and a channel starts with # "
            f"(e.g. #{second[:40]}). {expectation(spec)}"
        )
    return f"{words}: {arg.name} is one word; {hint}. {expectation(spec)}"


def _passes_over(arg: Arg, token: str) -> bool:
    """An optional choice written first may be left out (``checkin [this|last] 6h ...``): a
    word that is none of its choices belongs to the next argument."""
    return not arg.required and arg.kind is ArgKind.CHOICE and token.lower() not in arg.choices


def _take(arg: Arg, tokens: list[str], index: int) -> tuple[int, str]:
    if arg.kind is ArgKind.HOURS and _unit_follows(tokens, index):
        return index + 2, f"{tokens[index]}{tokens[index + 1]}"  # "6 h" is 6h
    if arg.kind is not ArgKind.TEXT:
        return index + 1, tokens[index]
    end = index
    while end < len(tokens) and tokens[end] != "|":
        end += 1
    return end, " ".join(tokens[index:end])


def _unit_follows(tokens: list[str], index: int) -> bool:
    return (
        index + 1 < len(tokens)
        and _BARE_NUMBER.match(tokens[index]) is not None
        and _HOURS_UNIT.match(tokens[index + 1]) is not None
    )


def validate(spec: CommandSpec, raw: Mapping[str, ArgValue]) -> dict[str, ArgValue]:
    """Check and normalise every argument; the same path serves text, options and buttons."""
    unknown = sorted(set(raw) - {a.name for a in spec.args})
    if unknown:
        raise UsageError(f"`{unknown[0][:40]}` is not an option here. {expectation(spec)}")
    values: dict[str, ArgValue] = {}
    for arg in spec.args:
        if arg.hidden and raw.get(arg.name) is None and arg.default is None:
            continue  # what only a form or a button carries stays out of what a member typed
        try:
            values[arg.name] = _checked(arg, raw.get(arg.name))
        except ValueError as exc:
            raise UsageError(f"{exc}. {expectation(spec)}") from None
    return values


def field_problems(spec: CommandSpec, raw: Mapping[str, ArgValue]) -> dict[str, str]:
    """Every bad argument's problem by name, for forms that show each error beside its field.

    The same checks as :func:`validate`, which stops at the first problem instead.
    """
    problems: dict[str, str] = {}
    for arg in spec.args:
        try:
            _checked(arg, raw.get(arg.name))
        except ValueError as exc:
            problems[arg.name] = f"{exc}."
    return problems


def _checked(arg: Arg, given: ArgValue) -> ArgValue:
    if given is None or (isinstance(given, str) and not given.strip()):
        if arg.required:
            raise ValueError(f"Missing {arg.usage().strip('[]')}")
        return arg.default
    return convert(arg, given)


def convert(arg: Arg, given: ArgValue) -> ArgValue:
    """One argument to its normal form; a ``ValueError`` message says what was wrong."""
    text = str(given).strip()
    if arg.kind in _FREE_FORM and len(text) > arg.max_length:
        raise ValueError(f"{arg.name} is {len(text)} characters; the limit is {arg.max_length}")
    match arg.kind:
        case ArgKind.TEXT:
            return " ".join(text.split())
        case ArgKind.WORD:
            return text
        case ArgKind.INT:
            return _int(arg, text)
        case ArgKind.HOURS:
            return _hours(arg, text)
        case ArgKind.CHOICE:
            return _choice(arg, text)
        case ArgKind.DATE:
            return _date(arg, text)
        case ArgKind.TIME:
            return _time(arg, text)
        case ArgKind.WEEKDAY:
            return _weekday(arg, text)
        case ArgKind.TIMEZONE:
            return _timezone(arg, text)
        case ArgKind.URL:
            return _url(arg, text)
        case ArgKind.USER:
            return _mention(arg, text, _USER_MENTION, "@")
        case ArgKind.CHANNEL:
            return _mention(arg, text, _CHANNEL_MENTION, "#")
    raise AssertionError(f"unhandled argument kind {arg.kind}")


def _int(arg: Arg, text: str) -> int:
    """A whole number within the spec's bounds, and always within what a column holds."""
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{arg.name} must be a whole number, not `{text[:20]}`") from None
    low = INTEGER_MIN if arg.minimum is None else max(arg.minimum, INTEGER_MIN)
    high = INTEGER_MAX if arg.maximum is None else min(arg.maximum, INTEGER_MAX)
    if value < low:
        raise ValueError(f"{arg.name} must be at least {low}")
    if value > high:
        raise ValueError(f"{arg.name} must be at most {high}")
    return value


def _hours(arg: Arg, text: str) -> float:
    match = _HOURS.match(text)
    if not match:
        raise ValueError(f"{arg.name} must look like 6h or 1.5h, not `{text[:20]}`")
    value = float(match[1].replace(",", "."))
    if not 0 < value <= (arg.maximum or 80):
        raise ValueError(f"{arg.name} must be more than 0h and at most {arg.maximum or 80}h")
    return value


def _choice(arg: Arg, text: str) -> str:
    lowered = text.lower()
    if lowered in arg.choices:
        return lowered
    raise ValueError(f"{arg.name} must be one of {', '.join(arg.choices)}, not `{text[:20]}`")


def _date(arg: Arg, text: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{arg.name} must be a date like 2027-01-04, not `{text[:20]}`") from None
    if not is_supported(day):
        raise ValueError(f"{arg.name} must be a date from {SUPPORTED_DAYS}, not `{text[:20]}`")
    return day.isoformat()


def _time(arg: Arg, text: str) -> str:
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"{arg.name} must be a 24-hour time like 09:00, not `{text[:20]}`")
    return time(int(match[1]), int(match[2])).strftime("%H:%M")


def _weekday(arg: Arg, text: str) -> int:
    lowered = text.lower()
    for index, name in enumerate(WEEKDAYS):
        if len(lowered) >= 3 and name.startswith(lowered):
            return index
    raise ValueError(f"{arg.name} must be a weekday like monday or mon, not `{text[:20]}`")


def _timezone(arg: Arg, text: str) -> str:
    known = known_timezone(text)
    if known is None:
        raise ValueError(f"{arg.name} must be a timezone like Europe/Berlin, not `{text[:40]}`")
    return known


def _url(arg: Arg, text: str) -> str:
    if text.startswith("<") and text.endswith(">"):  # Slack wraps links: <https://x|x>
        text = text[1:-1].split("|", 1)[0]
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise ValueError(f"{arg.name} must be a link starting with https://, not `{text[:40]}`")
    return text


def _mention(arg: Arg, text: str, pattern: re.Pattern[str], sigil: str) -> str:
    """A mention, a bare name or the normal form ``id|name``, which typed options (Discord)
    and button arguments carry, so a validated value validates again unchanged.

    An id longer than its column is refused; a name is the platform's label and is cut.
    """
    match = pattern.match(text) or _REF.match(text)
    if match:
        ident, name = match[1], match[2] or match[1]
    else:
        name = text.removeprefix(sigil)
        # A person may be typed bare; a channel only with its "#", so no stray word becomes one.
        bare_allowed = arg.kind is not ArgKind.CHANNEL or name != text
        if not (bare_allowed and _NAME.match(name)):
            raise ValueError(_not_a_mention(arg, text))
        ident = name
    if len(ident) > _ID_LIMIT[arg.kind]:
        raise ValueError(_not_a_mention(arg, text))
    return f"{ident}|{name[: _NAME_LIMIT[arg.kind]]}"


def _not_a_mention(arg: Arg, text: str) -> str:
    example = "#pivot-spring" if arg.kind is ArgKind.CHANNEL else "@name"
    return f"{arg.name} must be a mention like {example}, not `{text[:40]}`"


def split_ref(value: str) -> tuple[str, str]:
    """A user or channel value ``id|name`` as its two parts."""
    ident, _, name = value.partition("|")
    return ident, name or ident
