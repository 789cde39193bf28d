"""Send-rate caps per tenant and per platform, so a weekly fan-out never trips a 429 storm.

These pace real API calls, so they run on the monotonic wall clock, not the simulated one.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    rate: float  # tokens per second
    burst: float
    tokens: float = field(init=False)
    updated: float = field(default_factory=time.monotonic)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    async def take(self) -> None:
        async with self.lock:
            while True:
                now = time.monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)


@dataclass(frozen=True)
class RateCap:
    per_tenant: float  # messages per second in one workspace or guild
    per_platform: float  # messages per second for the whole bot on that platform


class SendLimiter:
    """Waits until a send to ``(platform, tenant)`` fits under both of its caps."""

    def __init__(self, caps: dict[str, RateCap]) -> None:
        self._caps = caps
        self._buckets: dict[tuple[str, ...], TokenBucket] = {}

    def _bucket(self, key: tuple[str, ...], rate: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(rate, burst=max(1.0, min(rate, 5.0)))
        return bucket

    async def wait(self, platform: str, tenant: str) -> None:
        cap = self._caps.get(platform)
        if cap is None:
            return
        await self._bucket((platform,), cap.per_platform).take()
        await self._bucket((platform, tenant), cap.per_tenant).take()
