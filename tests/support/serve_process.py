"""``pivotbot serve`` as a separate process, as operators run it: started with an environment,
ready when ``/readyz`` says so, stopped with SIGTERM or killed with SIGKILL."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

STARTUP_LIMIT = 120.0  # only so a broken start fails the test instead of hanging it
PLATFORM_VARIABLES = ("SLACK_", "DISCORD_", "DATABASE_", "DELIVERY_", "LOG_")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServeProcess:
    def __init__(self, process: asyncio.subprocess.Process, log: Path, port: int) -> None:
        self.process = process
        self.log = log
        self.port = port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    async def start(cls, settings: dict[str, str], workdir: Path, name: str) -> ServeProcess:
        """Start ``pivotbot serve`` with these settings and nothing else from this environment
        that names a platform or a database."""
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(PLATFORM_VARIABLES)}
        env.update(settings, HOST="127.0.0.1", PORT=str(port))
        log = workdir / f"{name}.log"
        with log.open("wb") as output:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "app.cli",
                "serve",
                cwd=workdir,
                env=env,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
            )
        return cls(process, log, port)

    async def ready(self) -> None:
        """Wait until ``/readyz`` answers 200: the database and every platform are up."""
        async with asyncio.timeout(STARTUP_LIMIT), aiohttp.ClientSession() as http:
            while self.process.returncode is None:
                try:
                    async with http.get(self.url + "/readyz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"pivotbot serve exited: {self.log.read_text()[-2000:]}")

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await self.exited()

    async def exited(self) -> int:
        async with asyncio.timeout(STARTUP_LIMIT):
            return await self.process.wait()

    async def logged(self, line: str) -> None:
        """Wait until the log holds ``line``."""
        async with asyncio.timeout(STARTUP_LIMIT):
            while line not in self.log.read_text():  # noqa: ASYNC110 - a file has no event
                await asyncio.sleep(0.05)

    async def kill(self) -> None:
        self.process.kill()
        await self.process.wait()
