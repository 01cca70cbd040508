"""Redirects may not lead a fetch into the local network.

A source URL is the operator's choice and may point anywhere, their own intranet
included. A redirect is the remote site's choice: one to 127.0.0.1, 10.x, 169.254.x (cloud
metadata) or a multicast address would make the fetcher a probe into the network it runs
in. Such a hop is refused, unless the configured URL itself points at that address.

The check resolves the redirect's host name; a host that resolves differently a moment
later (DNS rebinding) is not caught here, and is the remaining gap.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx

# Request extension holding the configured URL, carried by httpx onto every redirect hop.
ORIGIN = "newsbot_origin"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RedirectRefused(Exception):
    """A redirect led to an address inside the network; ``str()`` says which."""


def is_inside(address: Address) -> bool:
    """Loopback, private, link-local, multicast, unspecified or otherwise not on the internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_multicast or not address.is_global


async def addresses_of(host: str, port: int) -> set[Address]:
    """Every address ``host`` stands for: itself when it is one, else what DNS says."""
    try:
        return {ipaddress.ip_address(host.strip("[]"))}
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return set()  # unresolvable: the connection attempt will say so
    found: set[Address] = set()
    for info in infos:
        try:
            found.add(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        except ValueError:
            continue
    return found


async def refuse_inside_redirects(request: httpx.Request) -> None:
    """An httpx request hook: let a redirect hop through only to the internet, or to an
    address the configured URL itself resolves to.

    Raises:
        RedirectRefused: the hop leads inside the network.
    """
    origin = request.extensions.get(ORIGIN)
    if not isinstance(origin, str) or str(request.url) == origin:
        return  # the configured URL itself, or a client used without the marker
    target = request.url
    inside = {a for a in await addresses_of(target.host, target.port or 80) if is_inside(a)}
    if not inside:
        return
    configured = httpx.URL(origin)
    allowed = await addresses_of(configured.host, configured.port or 80)
    if inside <= allowed:
        return
    shown = ", ".join(sorted(str(a) for a in inside - allowed))
    raise RedirectRefused(f"refused a redirect to {target.host} ({shown}): a local address")
