"""Load over HTTP webhooks: 50 chats sending 20 messages each at once, to one and two instances.

Run: ``.venv/bin/python bench/bench_webhook.py [--chats 50] [--messages 20]
[postgresql://postgres@127.0.0.1:5432/test]``.

Each run starts the real ``newsbot run --webhook`` as separate processes on one scratch
PostgreSQL database (created beside the named one, dropped after) with the demo data, and
the Bot API emulator over HTTP in this process. The emulator stands in for Telegram and for
the load balancer: it POSTs every update with the secret header, round-robin over the
instances. All chats send all their messages at once (each chat's 20 are within the flood
guard's burst). A message's latency runs from the start of its POST to the bot's answer
arriving at the emulator. Prints answered / sent, p50, p95 and max latency, the time for the
whole load, and how many updates each instance handled (read from its /metrics); the two-
instance run is also printed as a ratio of the one-instance run. Asserts nothing.

The emulator does not enforce Telegram's 30 messages a second, but the bot keeps to it:
on PostgreSQL its instances share one send budget (bot.limits), so the throughput tops out
near 30 answers a second whatever the instance count.

``--same-to-both``: two instances, and every update is posted to both (a balancer that
duplicates, or Telegram's retry reaching the other instance). Prints the answers against
the updates: each must be answered once (the update record of bot.limits).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import sys
import tempfile
import time
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import psutil
from prometheus_client.parser import text_string_to_metric_families

from bench.scratch_db import scratch_postgres
from bot.demo import load_demo_if_empty
from bot.settings import to_async_url
from bot_api_emulator import BotApiEmulator
from bot_api_emulator.http import serve_http
from storage.database import make_engine, make_sessionmaker, upgrade_database

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "424242:BenchWebhookToken"
SECRET = "bench-webhook-secret"
HOOK_PATH = "/telegram/hook"
# What people send: commands and plain text that each get exactly one message back.
TEXTS = ("/rates", "/convert 100 usd kzt", "100 usd to kzt", "/news", "/rates kzt uzs")
ANSWERING = frozenset({"sendmessage", "sendphoto"})


class TimedEmulator(BotApiEmulator):
    """The emulator, noting when each answer arrives in each chat."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.answered: dict[int, list[float]] = {}

    async def call(self, method: str, raw: dict[str, Any], files: Any = None) -> Any:
        result = await super().call(method, raw, files)
        if method.lower() in ANSWERING:
            chat_id = int(str(raw.get("chat_id")))
            self.answered.setdefault(chat_id, []).append(time.perf_counter())
        return result


@dataclass
class Result:
    sent: int
    answered: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    per_instance: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # seconds: this process, then each instance

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _wait(condition: Any, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: gave up waiting for {what}")
        await asyncio.sleep(0.05)


@asynccontextmanager
async def _instance(api_base: str, database_url: str, port: int, log: Path) -> Any:
    env = dict(os.environ)
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api_base,
        DATABASE_URL=database_url,
        WEBHOOK_URL=f"http://127.0.0.1:{port}{HOOK_PATH}",
        WEBHOOK_SECRET=SECRET,
        PORT=str(port),
        HOST="127.0.0.1",
        FETCH_SOURCES="false",  # no news site is reached from a bench
        SEND_DIGESTS="false",
    )
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook",
            env=env, cwd=ROOT, stdout=sink, stderr=sink,
        )  # fmt: skip
        try:
            yield process
        finally:
            if process.returncode is None:
                process.terminate()
            await asyncio.wait_for(process.wait(), 30)
            _print_inside(log)


def _print_inside(log: Path) -> None:
    """The instance's own view: each update's latency from its one log line."""
    inside = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        start = line.find("{")
        if start >= 0 and '"latency_ms"' in line:
            with contextlib.suppress(ValueError):
                inside.append(float(json.loads(line[start:])["latency_ms"]))
    if inside:
        inside.sort()
        print(
            f"  {log.stem}: {len(inside)} updates logged; handling alone p50 "
            f"{inside[len(inside) // 2]:.0f} ms, p95 {inside[int(len(inside) * 0.95)]:.0f} ms"
        )


async def _healthy(client: httpx.AsyncClient, port: int) -> bool:
    try:
        answer = await client.get(f"http://127.0.0.1:{port}/healthz")
    except httpx.HTTPError:
        return False
    return answer.status_code == 200


async def _updates_handled(client: httpx.AsyncClient, port: int) -> float:
    text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "newsbot_updates"
        for sample in family.samples
        if sample.name == "newsbot_updates_total"
    )


async def run_load(
    database_url: str, instances: int, chats: int, messages: int, *, to_every: bool = False
) -> Result:
    """Start ``instances`` bots on the database, send the load, collect latencies;
    ``to_every`` posts each update to every instance."""
    emu = TimedEmulator()
    ports = [_free_port() for _ in range(instances)]
    async with AsyncExitStack() as stack, httpx.AsyncClient(timeout=10) as client:
        api_base = await stack.enter_async_context(serve_http(emu))
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        pids = []
        for number, port in enumerate(ports):
            log = logs / f"instance{number}.log"
            process = await stack.enter_async_context(_instance(api_base, database_url, port, log))
            pids.append(process.pid)
        await _wait(lambda: sum(m == "setWebhook" for m, _ in emu.calls) >= instances, "setWebhook")
        for port in ports:
            while not await _healthy(client, port):
                await asyncio.sleep(0.1)
        urls = [f"http://127.0.0.1:{port}{HOOK_PATH}" for port in ports]
        emu.balance_webhooks(urls, to_every=to_every)
        people = [emu.private_chat(emu.user(50_000 + n, f"P{n}")) for n in range(chats)]
        # One warm-up message per chat: the processes import the search engine lazily.
        await asyncio.gather(*(person.dispatch_text("/start") for person in people))
        await _wait(lambda: all(emu.answered.get(p.id) for p in people), "warm-up answers")
        before = {p.id: len(emu.answered[p.id]) for p in people}
        sent_at: dict[int, list[float]] = {p.id: [] for p in people}

        async def send(person: Any, text: str) -> None:
            sent_at[person.id].append(time.perf_counter())
            await person.dispatch_text(text)

        own_cpu = _cpu(psutil.Process())
        instance_cpu = [_cpu(psutil.Process(pid)) for pid in pids]
        start = time.perf_counter()
        await asyncio.gather(
            *(
                send(person, TEXTS[(n + k) % len(TEXTS)])
                for k in range(messages)
                for n, person in enumerate(people)
            )
        )
        total = chats * messages

        def answered() -> int:
            return sum(len(emu.answered[p.id]) - before[p.id] for p in people)

        deadline = time.monotonic() + 120
        while answered() < total and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        seconds = time.perf_counter() - start
        if to_every:
            await asyncio.sleep(2.0)  # room for a second answer to any update to show up
        result = Result(total, answered(), seconds)
        result.cpu = [_cpu(psutil.Process()) - own_cpu] + [
            _cpu(psutil.Process(pid)) - used for pid, used in zip(pids, instance_cpu, strict=True)
        ]
        for person in people:
            # The k-th answer in a chat is matched with the k-th message sent there.
            arrivals = sorted(emu.answered[person.id][before[person.id] :])
            starts = sorted(sent_at[person.id])
            result.latencies += [
                done - began for began, done in zip(starts, arrivals, strict=False)
            ]
        result.per_instance = [await _updates_handled(client, port) for port in ports]
        if emu.webhook_errors:
            print(f"  webhook answers other than 200: {len(emu.webhook_errors)}")
        await emu.aclose()
    return result


def _print(label: str, result: Result) -> None:
    ms = 1000
    print(
        f"{label}: answered {result.answered}/{result.sent} in {result.seconds:.2f} s "
        f"({result.answered / result.seconds:,.0f} updates/s); latency p50 "
        f"{result.quantile(0.5) * ms:.0f} ms, p95 {result.quantile(0.95) * ms:.0f} ms, "
        f"max {max(result.latencies, default=0) * ms:.0f} ms; updates per instance "
        f"{[int(n) for n in result.per_instance]}; CPU seconds: emulator "
        f"{result.cpu[0]:.1f}, instances {[round(c, 1) for c in result.cpu[1:]]}"
    )


async def _scratch(
    admin_url: str, instances: int, chats: int, messages: int, *, to_every: bool = False
) -> Result:
    async with scratch_postgres(admin_url, f"webhook{instances}") as url:
        engine = make_engine(to_async_url(url))
        await upgrade_database(engine)
        await load_demo_if_empty(make_sessionmaker(engine))
        await engine.dispose()
        return await run_load(url, instances, chats, messages, to_every=to_every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--same-to-both", action="store_true", help="post each update to both")
    args = parser.parse_args()
    if args.same_to_both:
        total = args.chats * args.messages
        print(f"{total} updates, each posted to both of two instances, PostgreSQL")
        both = asyncio.run(_scratch(args.database, 2, args.chats, args.messages, to_every=True))
        _print("two instances", both)
        print(f"answers: {both.answered} for {total} updates (target: exactly {total})")
        return
    print(f"{args.chats} chats x {args.messages} messages at once, over HTTP webhooks, PostgreSQL")
    one = asyncio.run(_scratch(args.database, 1, args.chats, args.messages))
    _print("one instance ", one)
    two = asyncio.run(_scratch(args.database, 2, args.chats, args.messages))
    _print("two instances", two)
    print(
        f"two / one: p50 {two.quantile(0.5) / one.quantile(0.5):.2f}, "
        f"p95 {two.quantile(0.95) / one.quantile(0.95):.2f}, "
        f"throughput {(two.answered / two.seconds) / (one.answered / one.seconds):.2f}"
    )


if __name__ == "__main__":
    main()
