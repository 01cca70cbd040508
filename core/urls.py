"""Canonical story URLs: one address per story, whatever tracking the link carried."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only say where a click came from; the page is the same without them.
_TRACKING = frozenset(
    {
        # ad and social click ids
        "fbclid", "gclid", "gclsrc", "yclid", "dclid", "msclkid", "ttclid", "twclid", "igshid",
        "rb_clickid", "wbraid", "gbraid",
        # analytics and mailing tools (Google, Mailchimp, HubSpot, Marketo, Openstat, ...)
        "_ga", "_gl", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "_openstat",
        "oly_enc_id", "oly_anon_id", "vero_id", "spm", "ref_src",
    }
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in _TRACKING


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL.

    Lower-cases scheme and host, drops default ports, fragments, tracking parameters
    (``utm_*``, ``fbclid`` ...) and a trailing slash on the path; keeps the other
    parameters in their order. A string that is not an http(s) URL comes back stripped.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return text
    host = parts.hostname.lower()
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username or parts.password:
        credentials = parts.username or ""
        if parts.password:
            credentials += f":{parts.password}"
        host = f"{credentials}@{host}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    path = parts.path.rstrip("/") if parts.path not in ("", "/") else ""
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))
