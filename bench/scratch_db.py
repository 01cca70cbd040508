"""A scratch PostgreSQL database beside a named one, for a benchmark run, dropped after."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@asynccontextmanager
async def scratch_postgres(admin_url: str, label: str) -> AsyncIterator[str]:
    """Create ``newsbot_bench_<label>_<pid>`` on ``admin_url``'s server; yield its URL."""
    name = f"newsbot_bench_{label}_{os.getpid()}"
    await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await _admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rpartition('/')[0]}/{name}"
    finally:
        await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
