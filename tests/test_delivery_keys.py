"""Each kind of delivery keeps the idempotency key it always had, so a message planned before
an upgrade is not planned, and sent, a second time after it."""

from __future__ import annotations

import pytest

from bot.domain.deliveries import DeliveryKey, DeliveryKind, cohort_prefixes
from bot.domain.weeks import IsoWeek

W48 = IsoWeek(2026, 48)

STORED = [
    (DeliveryKey(DeliveryKind.NUDGE, 42, week=W48), "nudge:42:2026-W48"),
    (DeliveryKey(DeliveryKind.QUIET, 42, week=W48), "quiet:42:2026-W48"),
    (DeliveryKey(DeliveryKind.GATE, 42, phase=2, invite=3), "gate:42:2:3"),
    (DeliveryKey(DeliveryKind.MANAGER, 42), "manager:42:ask"),
    (DeliveryKey(DeliveryKind.MANAGER_AGAIN, 42), "manager:42:again"),
    (DeliveryKey(DeliveryKind.LEADERBOARD, 7, week=W48), "leaderboard:7:2026-W48"),
    (DeliveryKey(DeliveryKind.DIGEST, 7, week=W48, admin="U1"), "digest:7:U1:2026-W48"),
    (DeliveryKey(DeliveryKind.NO_CHANNEL, 7, admin="U1"), "nochannel:7:U1"),
    (DeliveryKey(DeliveryKind.ANNOUNCEMENT, 42, phase=1), "advance:42:1"),
    (DeliveryKey(DeliveryKind.RECAP, 42, month=7), "recap:42:7"),
]


@pytest.mark.parametrize(("key", "stored"), STORED, ids=[key.kind for key, _ in STORED])
def test_each_kind_keeps_the_key_that_databases_already_hold(key: DeliveryKey, stored: str):
    assert key.text == stored


def test_every_kind_of_delivery_has_its_key_pinned_above():
    assert {key.kind for key, _ in STORED} == set(DeliveryKind)


def test_the_same_message_planned_twice_has_one_key():
    again = DeliveryKey(DeliveryKind.NUDGE, 42, week=IsoWeek(2026, 48))
    assert {STORED[0][0], again} == {again}
    assert DeliveryKey(DeliveryKind.QUIET, 42, week=W48) != again


def test_a_key_without_a_part_its_kind_needs_is_refused():
    with pytest.raises(ValueError, match="digest"):
        DeliveryKey(DeliveryKind.DIGEST, 7, admin="U1")


def test_a_cohorts_own_messages_are_found_by_their_key_prefixes():
    """Archiving and deleting a cohort find its posts and notes this way, and nothing else."""
    prefixes = cohort_prefixes(7)
    own = [key.text for key, _ in STORED if key.subject == 7]
    assert len(own) == 3  # a post, a digest and a no-channel note
    assert all(text.startswith(prefixes) for text in own)
    others = [key.text for key, _ in STORED if key.subject != 7]
    assert not any(text.startswith(prefixes) for text in others)
    assert not DeliveryKey(DeliveryKind.LEADERBOARD, 71, week=W48).text.startswith(prefixes)
