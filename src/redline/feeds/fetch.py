"""Fetching feeds and article pages from the open web, within fixed bounds.

Every request is bounded: a connect and read timeout, a total deadline (a server dripping one
byte a second cannot hold a worker), a size cap (a body is read in chunks and abandoned past
``max_bytes``; a ``Content-Length`` over the cap is refused before reading), a redirect cap
(each hop checked again), and a content-type check. Conditional requests (``If-None-Match``,
``If-Modified-Since``) make an unchanged feed cost one 304.

SSRF: unless ``allow_private``, no request goes to a private, loopback, link-local, multicast,
reserved or unspecified address, in any spelling (``127.1``, ``2130706433``, ``0x7f000001``,
``[::ffff:127.0.0.1]``, NAT64, 6to4, ...). ``check_url`` refuses such a URL before any request;
the connection itself is opened by ``_GuardedBackend``, which resolves the host once, checks
every address and connects to a checked one: a name that re-resolves to a private address
between the check and the connection (DNS rebinding) is refused too. Proxies from the
environment are not used (they would connect on our behalf, unchecked). ``allow_networks``
exempts chosen networks (an intranet feed) without opening all private space. Name resolution
itself (``getaddrinfo``) has no timeout of its own; the resolver's timeouts apply.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .. import __version__

USER_AGENT = f"Redline/{__version__} (news event coder)"  # the project has no public URL to name yet
KINDS = ("blocked", "timeout", "too_large", "redirects", "http", "content_type", "network", "not_a_feed")
REDIRECTS = (301, 302, 303, 307, 308)
ACCEPT = {
    "any": "*/*",
    "feed": "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
            "text/xml;q=0.9, */*;q=0.1",
    "html": "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
    "text": "text/plain, */*;q=0.1",
}
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+xml", "application/x-rss+xml", "application/x-atom+xml")
SNIFFED_TYPES = ("text/plain", "application/octet-stream", "")  # accepted as a feed only if the body is XML
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
XML_START = re.compile(rb"^\s*(<\?xml|<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>])", re.IGNORECASE)
# NAT64 (RFC 6052 well-known and RFC 8215 local-use) prefixes embed an IPv4 address in the last 32 bits
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class FetchError(Exception):
    """A fetch that failed; ``kind`` (one of ``KINDS``) says how, the message says what and where."""

    def __init__(self, url: str, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.kind = kind
        self.message = message
        self.status = status  # the HTTP status of an "http" error (a 404 is not a 503)


@dataclass(frozen=True)
class FetchPolicy:
    """The bounds of every request."""

    timeout: float = 15.0  # connect, and each read
    max_bytes: int = 10_000_000  # of the (decoded) body
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = USER_AGENT
    deadline: float = 60.0  # the whole request, redirects included
    allow_networks: tuple[str, ...] = ()  # networks reachable even when private (e.g. "10.1.2.0/24")


@dataclass(frozen=True)
class Fetched:
    """A response: the final URL (after redirects) and its body; a 304 has ``not_modified`` and no body."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def blocked_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not public ("loopback", "private", ...), or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "scoped (link-local)"
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = blocked_reason(inner)
            return f"{reason} (IPv4 {inner} inside IPv6)" if reason else None
    for reason, test in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                         ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                         ("private", ip.is_private), ("reserved", ip.is_reserved)):
        if test:
            return reason
    if not ip.is_global:  # shared address space (100.64/10), benchmarking, documentation, ...
        return "not globally routable"
    return None


def _literal_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """A host written as an IPv4 address in any form ``inet_aton`` accepts (``127.1``,
    ``2130706433``, ``0x7f000001``, ``0177.0.0.1``), or None."""
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address ``host`` resolves to (a literal address resolves to itself)."""
    host = host.strip("[]")
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    literal = _literal_ipv4(host)
    if literal is not None:
        return [literal]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


class _Guard:
    """Which addresses a policy may connect to."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.allow_private = policy.allow_private
        self.allowed = tuple(ipaddress.ip_network(n, strict=False) for n in policy.allow_networks)

    def check(self, url: str, host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        """The addresses of ``host``, all checked; raises FetchError(kind="blocked" or "network")."""
        try:
            found = _addresses(host, port)
        except (OSError, UnicodeError) as err:
            raise FetchError(url, "network", f"cannot resolve host {host!r} ({err})") from None
        if not found:
            raise FetchError(url, "network", f"host {host!r} has no address")
        if not self.allow_private:
            for ip in found:
                reason = blocked_reason(ip)
                if reason and not any(ip.version == net.version and ip in net for net in self.allowed):
                    what = f"{ip}" if host.strip("[]") == str(ip) else f"{host} resolves to {ip}"
                    raise FetchError(url, "blocked", f"refused: {what}, not a public address ({reason}); "
                                                     "private addresses need --allow-private")
        return found


def check_url(url: str, allow_private: bool = False, allow_networks: Iterable[str] = ()) -> None:
    """Refuse (``FetchError(kind="blocked")``) a URL that is not http(s) or whose host is, or
    resolves to, any non-public address, unless ``allow_private``. Makes no request."""
    host, port = _host_port(url)
    if not allow_private:
        _Guard(FetchPolicy(allow_private=False, allow_networks=tuple(allow_networks))).check(url, host, port)


def _host_port(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise FetchError(url, "blocked", f"not a valid URL ({err})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(url, "blocked", f"only http and https URLs are fetched, not {scheme or 'a relative URL'!r}")
    if not parts.hostname:
        raise FetchError(url, "blocked", "the URL has no host")
    return parts.hostname, port or (443 if scheme == "https" else 80)


class _BlockedConnect(Exception):
    """Raised inside the transport; carries the FetchError out through httpx."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(str(error))
        self.error = error


class _GuardedBackend(httpcore.NetworkBackend):
    """Opens each connection to an address it has just checked (no DNS-rebinding window)."""

    def __init__(self, guard: _Guard) -> None:
        self.guard = guard
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        try:
            found = self.guard.check(f"//{host}:{port}", host, port)
        except FetchError as err:
            raise _BlockedConnect(err) from None
        last: Exception | None = None
        for ip in found:
            try:
                return self.inner.connect_tcp(str(ip), port, timeout=timeout, local_address=local_address,
                                              socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                last = err
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise _BlockedConnect(FetchError(path, "blocked", "unix sockets are not fetched"))

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose connections go through ``_GuardedBackend``
    (httpx 0.28 takes no network backend, so the pool is built here, as ``HTTPTransport`` does)."""

    def __init__(self, guard: _Guard, max_connections: int) -> None:
        super().__init__(retries=0)
        self._pool.close()
        self._pool = httpcore.ConnectionPool(ssl_context=ssl.create_default_context(),
                                             max_connections=max_connections, max_keepalive_connections=max_connections,
                                             keepalive_expiry=30.0, retries=0, network_backend=_GuardedBackend(guard))


def media_type(content_type: str) -> str:
    """``"Text/HTML; charset=utf-8"`` -> ``"text/html"``."""
    return content_type.split(";", 1)[0].strip().lower()


def looks_like_xml(body: bytes) -> bool:
    """Whether a body starts like an XML document (an RSS/Atom feed served with a vague type)."""
    return bool(XML_START.match(body.lstrip(b"\xef\xbb\xbf")[:512]))


def check_content_type(url: str, content_type: str, body: bytes | None, accept: str) -> None:
    """Raise ``FetchError(kind="content_type")`` if the response is not what ``accept`` asked for
    (``kind="not_a_feed"`` for an HTML page where a feed was asked for). With ``body`` None (not
    read yet) a vague type that the body may redeem (text/plain for a feed) passes."""
    media = media_type(content_type)
    if accept == "any":
        return
    if accept == "feed":
        if media in FEED_TYPES or (media.endswith("+xml") and media not in HTML_TYPES):
            return
        if media in SNIFFED_TYPES and (body is None or looks_like_xml(body)):
            return
        if media in HTML_TYPES:
            raise FetchError(url, "not_a_feed", "got an HTML page, not an RSS/Atom feed (is this the site's "
                                                "home page rather than its feed URL?)")
        raise FetchError(url, "content_type", f"expected an RSS/Atom feed, got content type {media or 'none'!r}")
    wanted = HTML_TYPES if accept == "html" else TEXT_TYPES
    if media not in wanted:
        raise FetchError(url, "content_type", f"expected {' or '.join(wanted)}, got content type {media or 'none'!r}")


class Fetcher:
    """Bounded, SSRF-guarded HTTP GETs; one instance is shared by threads (httpx's pool is thread-safe)."""

    def __init__(self, policy: FetchPolicy | None = None, max_connections: int = 20) -> None:
        self.policy = policy or FetchPolicy()
        self._guard = _Guard(self.policy)
        timeout = httpx.Timeout(self.policy.timeout, pool=self.policy.timeout)
        self._client = httpx.Client(transport=_GuardedTransport(self._guard, max_connections), timeout=timeout,
                                    follow_redirects=False, trust_env=False,
                                    headers={"User-Agent": self.policy.user_agent})
        self._closed = threading.Event()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        if not self._closed.is_set():
            self._closed.set()
            self._client.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "any") -> Fetched:
        """GET ``url`` within the policy's bounds, following redirects (each hop checked); a 304 to
        the conditional headers gives ``not_modified``. Raises ``FetchError``."""
        if accept not in ACCEPT:
            raise ValueError(f"accept must be one of {', '.join(ACCEPT)}, not {accept!r}")
        started = time.monotonic()
        headers = {"Accept": ACCEPT[accept]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [url]
        current = url
        while True:
            self._check(current)
            status, location, result = self._request(current, headers, started, accept)
            if result is not None:
                return result
            assert location is not None
            target = urljoin(current, location)
            if target in seen:
                raise FetchError(url, "redirects", f"redirect loop ({' -> '.join([*seen, target])})")
            if len(seen) > self.policy.max_redirects:
                raise FetchError(url, "redirects", f"more than {self.policy.max_redirects} redirects "
                                                   f"(last: {current} -> {target})")
            if status == 303:
                headers.pop("If-None-Match", None)
                headers.pop("If-Modified-Since", None)
            seen.append(target)
            current = target

    def _check(self, url: str) -> None:
        host, port = _host_port(url)
        self._guard.check(url, host, port)

    def _remaining(self, url: str, started: float) -> float:
        left = self.policy.deadline - (time.monotonic() - started)
        if left <= 0:
            raise FetchError(url, "timeout", f"took longer than the {self.policy.deadline:g}s deadline")
        return left

    def _request(self, url: str, headers: dict[str, str], started: float, accept: str
                 ) -> tuple[int, str | None, Fetched | None]:
        """One hop: (status, redirect location or None, the result when not a redirect)."""
        left = self._remaining(url, started)
        timeout = httpx.Timeout(min(self.policy.timeout, left), pool=min(self.policy.timeout, left))
        try:
            with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                status = response.status_code
                if status in REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(url, "http", f"HTTP {status} redirect without a Location header")
                    return status, location, None
                etag = response.headers.get("etag")
                modified = response.headers.get("last-modified")
                content_type = response.headers.get("content-type", "")
                if status == 304:
                    return status, None, Fetched(str(response.url), status, b"", content_type, etag, modified, True)
                if not 200 <= status < 300:
                    raise FetchError(url, "http", f"HTTP {status} {response.reason_phrase}".rstrip(), status)
                length = response.headers.get("content-length")
                if length and length.strip().isdigit() and int(length) > self.policy.max_bytes:
                    raise FetchError(url, "too_large", f"Content-Length {int(length):,} bytes is over the "
                                                       f"{self.policy.max_bytes:,}-byte cap (not read)")
                check_content_type(url, content_type, None, accept)  # before reading a body not wanted
                body = self._read(response, url, started)
                check_content_type(url, content_type, body, accept)
                return status, None, Fetched(str(response.url), status, body, content_type, etag, modified, False)
        except _BlockedConnect as err:
            raise FetchError(url, err.error.kind, err.error.message) from None
        except httpx.TimeoutException as err:
            raise FetchError(url, "timeout", f"timed out ({type(err).__name__}, "
                                             f"{self.policy.timeout:g}s per connect/read)") from None
        except httpx.HTTPError as err:
            raise FetchError(url, "network", f"{type(err).__name__}: {err or 'connection failed'}") from None

    def _read(self, response: httpx.Response, url: str, started: float) -> bytes:
        """The body, in chunks, abandoned (connection closed) past the cap or the deadline. The cap
        counts decoded bytes (a gzip bomb stops too), so at most one decoded chunk passes it."""
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():  # as they arrive (a chunk size would wait to fill it)
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise FetchError(url, "too_large", f"body over the {self.policy.max_bytes:,}-byte cap "
                                                   "(stopped reading)")
            chunks.append(chunk)
            self._remaining(url, started)
        return b"".join(chunks)
