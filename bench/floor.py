"""The floor every benchmark reports beside its figures: one committed transaction that reads
one row by id and inserts one row, through the same async engine, measured in the same run.

Absolute times on shared machines drift from run to run; a figure divided by the floor does not.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import AuditEntry, Tenant

FLOOR_MARK = "floor"


@dataclass(frozen=True)
class Floor:
    median_ms: float
    p99_ms: float

    def describe(self) -> str:
        return (
            "floor (read one row by id, insert one row, commit): "
            f"median {self.median_ms:.2f} ms, p99 {self.p99_ms:.2f} ms"
        )


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure_floor(engine: AsyncEngine, samples: int = 300) -> Floor:
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        tenant_id = (
            await connection.execute(
                Tenant.__table__.insert().returning(Tenant.__table__.c.id),
                {"platform": FLOOR_MARK, "external_id": FLOOR_MARK, "created_at": now},
            )
        ).scalar_one()
    timings: list[float] = []
    for _ in range(samples):
        started = time.perf_counter()
        async with engine.begin() as connection:
            await connection.execute(select(Tenant.id).where(Tenant.id == tenant_id))
            await connection.execute(
                AuditEntry.__table__.insert(),
                {
                    "tenant_id": tenant_id,
                    "at": now,
                    "actor_user_id": FLOOR_MARK,
                    "action": FLOOR_MARK,
                    "detail": "",
                },
            )
        timings.append((time.perf_counter() - started) * 1000)
    async with engine.begin() as connection:
        await connection.execute(delete(Tenant).where(Tenant.id == tenant_id))
    return Floor(statistics.median(timings), percentile(timings, 0.99))
