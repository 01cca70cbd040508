"""HTTP GET for feeds and banks, built for the real web.

One call costs at most ``total_timeout`` seconds whatever the server does (hang,
trickle, retry after retry); bodies stop at ``max_bytes``; timeouts, dropped
connections and 5xx answers are retried with jittered exponential backoff; a 304
to a conditional GET comes back as "nothing new". Every failure is a FetchError
with one line for people, never a raw httpx exception.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

import httpx

from sources.redirects import ORIGIN, RedirectRefused, refuse_inside_redirects

__all__ = ["BROWSER_USER_AGENT", "FetchConfig", "FetchError", "Fetched", "fetch", "make_client"]

# Several regional outlets answer 403 to library user agents; this is a current desktop
# Firefox, as their readers send.
BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, text/html;q=0.7, */*;q=0.5"
)
_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How patient and how generous a fetch is; tests shrink the times.

    Attributes:
        connect_timeout: Seconds to open the connection.
        read_timeout: Seconds to wait for each piece of the answer.
        total_timeout: Seconds for the whole fetch, retries included.
        max_bytes: Body size at which reading stops (after decompression).
        max_redirects: Redirects followed before giving up.
        attempts: Tries for timeouts, dropped connections and 5xx.
        backoff: Seconds before the second try; doubled per try, with jitter.
        backoff_cap: Longest wait between tries.
        user_agent: The User-Agent header.
        concurrency: Sources fetched at once in one pass.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 5 * _MB
    max_redirects: int = 5
    attempts: int = 3
    backoff: float = 1.0
    backoff_cap: float = 8.0
    user_agent: str = BROWSER_USER_AGENT
    concurrency: int = 8


class FetchError(Exception):
    """A fetch failed; ``str(error)`` is one line saying why.

    Attributes:
        retryable: True when trying again soon may help (timeouts, 5xx, dropped links).
    """

    def __init__(self, reason: str, *, retryable: bool = False) -> None:
        super().__init__(reason)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful answer.

    Attributes:
        url: The URL after redirects.
        status: 200-class status, or 304 when the stored copy is still current.
        body: The (decompressed) body; empty for a 304.
        charset: The charset the Content-Type header named, or None.
        etag: The ETag to send next time, or None.
        last_modified: The Last-Modified to send next time, or None.
    """

    url: str
    status: int
    body: bytes
    charset: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """True for a 304: nothing new since the last fetch."""
        return self.status == 304


def make_client(config: FetchConfig | None = None) -> httpx.AsyncClient:
    """An httpx client with the timeouts, redirect limit and headers of ``config``.

    The caller closes it (``async with make_client() as client``). Redirects into the
    local network are refused (``sources.redirects``).
    """
    config = config or FetchConfig()
    timeout = httpx.Timeout(
        connect=config.connect_timeout,
        read=config.read_timeout,
        write=config.read_timeout,
        pool=config.connect_timeout,
    )
    return httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=config.max_redirects,
        event_hooks={"request": [refuse_inside_redirects]},
        headers={
            "User-Agent": config.user_agent,
            "Accept": _ACCEPT,
            "Accept-Language": "ru,en;q=0.8",
            # httpx decompresses; brotli/zstd only when their packages are installed,
            # so ask for what is always understood.
            "Accept-Encoding": "gzip, deflate",
        },
        limits=httpx.Limits(max_connections=max(config.concurrency * 2, 10)),
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    config: FetchConfig | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET ``url``, conditionally when validators are given, retrying what may pass.

    Args:
        client: From ``make_client``.
        url: The address.
        config: Limits; the defaults when None.
        etag: Sent as If-None-Match.
        last_modified: Sent as If-Modified-Since.

    Returns:
        The answer; ``not_modified`` is True for a 304.

    Raises:
        FetchError: Any failure, after the retries the kind of failure allows.
    """
    config = config or FetchConfig()
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(config.total_timeout):
            return await _with_retries(client, url, headers, config)
    except TimeoutError:
        raise FetchError(
            f"no complete answer within {config.total_timeout:g} s", retryable=True
        ) from None


async def _with_retries(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], config: FetchConfig
) -> Fetched:
    attempt = 1
    while True:
        try:
            return await _get_once(client, url, headers, config)
        except FetchError as exc:
            if not exc.retryable or attempt >= config.attempts:
                if attempt > 1:
                    raise FetchError(f"{exc} (after {attempt} tries)", retryable=True) from None
                raise
        # Full jitter: many sources failing together do not come back in step.
        delay = min(config.backoff_cap, config.backoff * 2 ** (attempt - 1))
        await asyncio.sleep(random.uniform(delay / 2, delay))
        attempt += 1


async def _get_once(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], config: FetchConfig
) -> Fetched:
    try:
        async with client.stream("GET", url, headers=headers, extensions={ORIGIN: url}) as response:
            _check_status(response)
            body = b"" if response.status_code == 304 else await _read_capped(response, config)
            return Fetched(
                url=str(response.url),
                status=response.status_code,
                body=body,
                charset=_header_charset(response),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )
    except RedirectRefused as exc:
        raise FetchError(str(exc)) from None
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {config.max_redirects} redirects (a redirect loop?)") from None
    except httpx.TimeoutException as exc:
        raise FetchError(_timeout_reason(exc, config), retryable=True) from None
    except httpx.RemoteProtocolError:
        raise FetchError(
            "the server closed the connection before the whole answer arrived", retryable=True
        ) from None
    except httpx.DecodingError:
        raise FetchError("the compressed body is corrupt") from None
    except httpx.UnsupportedProtocol:
        raise FetchError("only http:// and https:// addresses can be fetched") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"bad address: {exc}") from None
    except httpx.TransportError as exc:
        raise FetchError(f"cannot connect: {exc or type(exc).__name__}", retryable=True) from None


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if status == 304 or 200 <= status < 300:
        return
    phrase = f"HTTP {status} {response.reason_phrase}".rstrip()
    if status >= 500 or status == 429:
        raise FetchError(phrase, retryable=True)
    if status in (401, 403):
        raise FetchError(f"{phrase}: the site refuses us (bot protection or a login wall)")
    if status in (404, 410):
        raise FetchError(f"{phrase}: nothing at this address (moved, or not published yet)")
    raise FetchError(phrase)


async def _read_capped(response: httpx.Response, config: FetchConfig) -> bytes:
    limit = config.max_bytes
    too_large = f"the answer is larger than {_size(limit)}; stopped reading"
    declared = response.headers.get("content-length", "")
    # A compressed body's length says little about the size after decompression, so
    # only a plain one is refused before reading.
    if declared.isdigit() and int(declared) > limit and "content-encoding" not in response.headers:
        raise FetchError(too_large)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(too_large)
        chunks.append(chunk)
    return b"".join(chunks)


def _header_charset(response: httpx.Response) -> str | None:
    content_type: str = response.headers.get("content-type", "")
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        charset = value.strip().strip("\"'")
        if key.strip().lower() == "charset" and charset:
            return charset
    return None


def _timeout_reason(exc: httpx.TimeoutException, config: FetchConfig) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {config.connect_timeout:g} s"
    if isinstance(exc, httpx.PoolTimeout):
        return "no free connection in time"
    return f"the server went silent for {config.read_timeout:g} s"


def _size(limit: int) -> str:
    return f"{limit / _MB:g} MB" if limit >= _MB else f"{limit} bytes"
