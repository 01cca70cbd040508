"""The HTTP layer against a local server that misbehaves in every way the web does."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.decoding import DecodeError, declared_encoding, to_parser_bytes
from sources.transport import FetchConfig, FetchError, fetch, make_client
from tests.fetch_server import LocalServer, Route, serve

# Short limits so the misbehaving routes cost the suite little; the logic is the same.
FAST = FetchConfig(
    connect_timeout=2.0,
    read_timeout=0.5,
    total_timeout=2.0,
    attempts=3,
    backoff=0.01,
    backoff_cap=0.02,
)
# For routes whose point is not time: compressing 50 MB on a loaded machine can take seconds.
PATIENT = FetchConfig(
    connect_timeout=10.0, read_timeout=30.0, total_timeout=60.0, attempts=1, backoff=0.01
)
FEED = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel></channel></rss>'


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serve() as running:
        yield running


async def get(
    server: LocalServer, path: str, route: Route, config: FetchConfig = FAST, **kwargs: str
) -> bytes:
    server.routes[path] = route
    async with make_client(config) as client:
        fetched = await fetch(client, server.url(path), config, **kwargs)
    return fetched.body


async def test_a_good_answer_arrives_with_a_browser_user_agent(server: LocalServer) -> None:
    body = await get(server, "/feed", Route(body=FEED))
    assert body == FEED
    headers = server.served.headers["/feed"]
    assert headers["user-agent"].startswith("Mozilla/5.0")
    assert "gzip" in headers["accept-encoding"]


async def test_gzip_bodies_are_decompressed(server: LocalServer) -> None:
    assert await get(server, "/gz", Route(body=FEED * 50, gzip=True)) == FEED * 50


async def test_conditional_get_gives_not_modified(server: LocalServer) -> None:
    server.routes["/c"] = Route(
        body=FEED, etag='"v1"', last_modified="Mon, 01 Jun 2026 00:00:00 GMT"
    )
    async with make_client(FAST) as client:
        first = await fetch(client, server.url("/c"), FAST)
        assert (first.status, first.etag) == (200, '"v1"')
        second = await fetch(client, server.url("/c"), FAST, etag=first.etag)
        third = await fetch(client, server.url("/c"), FAST, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    assert third.not_modified
    assert server.served.headers["/c"]["if-modified-since"] == first.last_modified


async def test_a_500_is_retried_then_reported(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"HTTP 500 .*after 3 tries"):
        await get(server, "/500", Route(status=500, body=b"oops"))
    assert server.served.hits["/500"] == 3


async def test_a_passing_503_is_overcome_by_a_retry(server: LocalServer) -> None:
    assert await get(server, "/flaky", Route(body=FEED, fail_first=2)) == FEED
    assert server.served.hits["/flaky"] == 3


async def test_a_403_is_not_retried(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"403.*refuses us") as caught:
        await get(server, "/403", Route(status=403, body=b"go away"))
    assert not caught.value.retryable
    assert server.served.hits["/403"] == 1


async def test_a_hanging_server_costs_at_most_the_total_timeout(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"silent|within 2 s"):
        await get(server, "/hang", Route(hang=True))


async def test_a_redirect_loop_stops(server: LocalServer) -> None:
    with pytest.raises(FetchError, match="more than 5 redirects"):
        await get(server, "/loop", Route(redirect_to="/loop"))
    assert server.served.hits["/loop"] == 6


async def test_a_truncated_body_is_an_error(server: LocalServer) -> None:
    with pytest.raises(FetchError, match="closed the connection"):
        await get(server, "/cut", Route(body=FEED, truncate=1000))


async def test_fifty_megabytes_of_junk_stop_at_the_cap(server: LocalServer) -> None:
    with pytest.raises(FetchError, match="larger than 5 MB; stopped reading"):
        await get(server, "/junk", Route(junk_bytes=50 * 1024 * 1024))
    server.stop()  # wait for the sender to notice the closed connection
    assert server.served.junk_sent["/junk"] < 50 * 1024 * 1024


async def test_a_gzip_bomb_stops_at_the_cap_after_decompression(server: LocalServer) -> None:
    # 50 MB of zeros compress to about 50 KB: the cap must count what comes out.
    with pytest.raises(FetchError, match="larger than 5 MB"):
        await get(server, "/zip-bomb", Route(body=bytes(50 * 1024 * 1024), gzip=True), PATIENT)


async def test_an_announced_oversized_body_is_refused_before_reading(server: LocalServer) -> None:
    with pytest.raises(FetchError, match="larger than"):
        await get(server, "/big", Route(body=b"x" * (6 * 1024 * 1024)))


async def test_nothing_listening_is_a_connect_error() -> None:
    async with make_client(FAST) as client:
        with pytest.raises(FetchError, match=r"cannot connect|could not connect"):
            await fetch(client, "http://127.0.0.1:9/feed", FAST)


def test_the_xml_declaration_beats_the_header() -> None:
    body = '<?xml version="1.0" encoding="windows-1251"?><rss>Привет</rss>'.encode("cp1251")
    assert declared_encoding(body) == "windows-1251"
    assert to_parser_bytes(body, "utf-8") is body


def test_a_bom_beats_the_header() -> None:
    body = codecs.BOM_UTF8 + "<rss>Привет</rss>".encode()
    assert to_parser_bytes(body, "windows-1251") is body


def test_the_header_charset_is_used_without_a_declaration() -> None:
    body = "<rss>Привет</rss>".encode("cp1251")
    assert to_parser_bytes(body, "windows-1251").decode("utf-8") == "<rss>Привет</rss>"


def test_a_wrong_header_charset_is_a_clear_error() -> None:
    body = "<rss>Привет</rss>".encode("cp1251")
    with pytest.raises(DecodeError, match=r"not utf-8 as the server said \(byte 5\)"):
        to_parser_bytes(body, "utf-8")
    with pytest.raises(DecodeError, match="unknown charset"):
        to_parser_bytes(body, "klingon-8")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([None, "utf-8", "windows-1251", "latin-1", "x"]))
def test_any_body_decodes_or_says_why(body: bytes, charset: str | None) -> None:
    try:
        result = to_parser_bytes(body, charset)
    except DecodeError as exc:
        assert str(exc).startswith("the ")
    else:
        assert result is body or result.decode("utf-8")


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/feed",
        "http://10.1.2.3/latest",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/feed",
        "http://[::ffff:192.168.0.1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0:{port}/feed",
    ],
)
async def test_a_redirect_into_the_network_is_refused(server: LocalServer, target: str) -> None:
    server.routes["/feed"] = Route(body=FEED)
    location = target.format(port=server.url("/").rsplit(":", 1)[1].split("/")[0])
    with pytest.raises(FetchError, match=r"refused a redirect to .*a local address"):
        await get(server, "/away", Route(redirect_to=location))
    # Refused before connecting: only the first request reached a server.
    assert list(server.served.headers) == ["/away"]


async def test_a_redirect_to_the_configured_address_is_followed(server: LocalServer) -> None:
    # The operator configured 127.0.0.1: a hop to another port or path there is theirs.
    server.routes["/feed"] = Route(body=FEED)
    assert await get(server, "/moved", Route(redirect_to=server.url("/feed"))) == FEED
    assert await get(server, "/rel", Route(redirect_to="/feed")) == FEED


async def test_inside_and_outside_addresses() -> None:
    from ipaddress import ip_address

    from sources.redirects import addresses_of, is_inside

    for inside in ("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.0.1", "::1"):
        assert is_inside(ip_address(inside)), inside
    for outside in ("8.8.8.8", "93.184.216.34", "2a00:1450:4001:80b::200e"):
        assert not is_inside(ip_address(outside)), outside
    assert await addresses_of("[::1]", 80) == {ip_address("::1")}
