"""feeds.fetch and feeds.parse against a web site on loopback: feeds that parse, and feeds that
misbehave (malformed, HTML, 500s, timeouts, huge bodies, redirect loops, private addresses)."""
from __future__ import annotations

import socket
import time
from datetime import datetime, timezone

import pytest

from feeds_site import Site, endless
from redline.feeds.config import Feed
from redline.feeds.fetch import FetchError, Fetcher, FetchPolicy, check_url
from redline.feeds.parse import parse_feed, parse_url_list

LOCAL = FetchPolicy(allow_private=True, timeout=5.0, deadline=10.0)

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Harbour Gazette - World</title>
    <link>https://harbour-gazette.example/world</link>
    <description>World news from the Harbour Gazette</description>
    <item>
      <title>Border talks resume in Geneva after two-month pause</title>
      <link>/world/2026/12/03/border-talks-resume</link>
      <pubDate>Thu, 03 Dec 2026 09:15:00 +0100</pubDate>
      <description>Negotiators from both capitals met on Thursday.</description>
    </item>
    <item>
      <title>Coast guard intercepts fishing fleet near disputed shoal</title>
      <link>https://harbour-gazette.example/world/2026/12/02/shoal-fleet#top</link>
      <pubDate>Wed, 02 Dec 2026 18:40:00 GMT</pubDate>
    </item>
    <item>
      <title>An entry without a link is skipped</title>
      <description>Nothing to fetch here.</description>
    </item>
    <item>
      <title>A javascript link is skipped too</title>
      <link>javascript:alert(1)</link>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Northern Ledger</title>
  <id>urn:uuid:0b7d2c52-8f0e-4a55-9d3e-7b1c2a3f4e5d</id>
  <updated>2026-12-04T07:00:00Z</updated>
  <entry>
    <title>Parliament approves emergency budget for flood-hit provinces</title>
    <link rel="alternate" href="articles/flood-budget.html"/>
    <id>urn:uuid:7f3e2a10-1111-4c2b-9a8e-0c1d2e3f4a5b</id>
    <updated>2026-12-04T06:30:00Z</updated>
    <published>2026-12-04T06:00:00Z</published>
  </entry>
  <entry>
    <title>Ministers trade accusations over stalled pipeline deal</title>
    <link href="https://ledger.example/articles/pipeline-deal.html"/>
    <id>urn:uuid:7f3e2a10-2222-4c2b-9a8e-0c1d2e3f4a5b</id>
    <updated>2026-12-03T21:10:00Z</updated>
  </entry>
</feed>
"""

HTML_HOME = """<!DOCTYPE html><html><head><title>Harbour Gazette</title></head>
<body><h1>Harbour Gazette</h1><p>Latest news from the harbour and the world.</p></body></html>"""


@pytest.fixture
def site():
    with Site() as s:
        yield s


@pytest.fixture
def fetcher():
    with Fetcher(LOCAL) as f:
        yield f


def test_rss_feed_parses_with_dates_and_resolved_links(site, fetcher):
    site.page("/world/rss", RSS, "application/rss+xml; charset=utf-8")
    feed = Feed(url=site.url("/world/rss"), kind="feed", publisher=None)
    fetched = fetcher.get(feed.url, accept="feed")
    assert fetched.status == 200 and not fetched.not_modified and fetched.url == feed.url
    items = parse_feed(fetched, feed)
    assert [i.url for i in items] == [
        site.url("/world/2026/12/03/border-talks-resume"),  # relative link resolved against the feed
        "https://harbour-gazette.example/world/2026/12/02/shoal-fleet"]  # fragment dropped
    assert items[0].title == "Border talks resume in Geneva after two-month pause"
    assert items[0].published == datetime(2026, 12, 3, 8, 15, tzinfo=timezone.utc)
    assert items[1].published == datetime(2026, 12, 2, 18, 40, tzinfo=timezone.utc)
    assert {i.publisher for i in items} == {"Harbour Gazette - World"}  # the feed's own title
    assert {i.feed_url for i in items} == {feed.url}
    named = parse_feed(fetched, Feed(url=feed.url, kind="feed", publisher="The Gazette"))
    assert {i.publisher for i in named} == {"The Gazette"}


def test_atom_feed_parses_and_resolves_relative_links(site, fetcher):
    site.page("/ledger/atom.xml", ATOM, "application/atom+xml")
    feed = Feed(url=site.url("/ledger/atom.xml"), kind="feed")
    items = parse_feed(fetcher.get(feed.url, accept="feed"), feed)
    assert [i.url for i in items] == [site.url("/ledger/articles/flood-budget.html"),
                                      "https://ledger.example/articles/pipeline-deal.html"]
    assert items[0].published == datetime(2026, 12, 4, 6, 0, tzinfo=timezone.utc)  # published before updated
    assert items[1].published == datetime(2026, 12, 3, 21, 10, tzinfo=timezone.utc)
    assert items[0].publisher == "Northern Ledger"


def test_feed_served_as_text_plain_is_sniffed(site, fetcher):
    site.page("/plain", ATOM, "text/plain")
    site.page("/plain-html", HTML_HOME, "text/plain")
    assert len(parse_feed(fetcher.get(site.url("/plain"), accept="feed"), Feed(site.url("/plain"), "feed"))) == 2
    with pytest.raises(FetchError) as err:
        fetcher.get(site.url("/plain-html"), accept="feed")
    assert err.value.kind == "content_type"


def test_conditional_request_gives_not_modified(site, fetcher):
    def conditional(request):
        if request.headers.get("if-none-match") == '"v7"' or \
                request.headers.get("if-modified-since") == "Fri, 04 Dec 2026 07:00:00 GMT":
            request.respond(304, b"", "application/rss+xml", {"ETag": '"v7"'})
        else:
            request.respond(200, RSS.encode(), "application/rss+xml",
                            {"ETag": '"v7"', "Last-Modified": "Fri, 04 Dec 2026 07:00:00 GMT"})
    site.route("/rss", conditional)
    first = fetcher.get(site.url("/rss"), accept="feed")
    assert first.etag == '"v7"' and first.last_modified == "Fri, 04 Dec 2026 07:00:00 GMT" and first.body
    again = fetcher.get(site.url("/rss"), etag=first.etag, accept="feed")
    assert again.not_modified and again.status == 304 and again.body == b""
    by_date = fetcher.get(site.url("/rss"), last_modified=first.last_modified, accept="feed")
    assert by_date.not_modified
    assert site.requests[1][2]["if-none-match"] == '"v7"'
    assert site.requests[2][2]["if-modified-since"] == "Fri, 04 Dec 2026 07:00:00 GMT"


def test_malformed_xml_is_not_a_feed(site, fetcher):
    site.page("/broken", "<?xml version='1.0'?><rss><channel><title>Cut off <item><tit", "application/xml")
    feed = Feed(site.url("/broken"), "feed")
    with pytest.raises(FetchError) as err:
        parse_feed(fetcher.get(feed.url, accept="feed"), feed)
    assert err.value.kind == "not_a_feed" and "no entries" in str(err.value) and feed.url in str(err.value)


def test_html_instead_of_a_feed_says_so(site, fetcher):
    site.page("/", HTML_HOME, "text/html; charset=utf-8")
    with pytest.raises(FetchError) as err:
        fetcher.get(site.url("/"), accept="feed")
    assert err.value.kind == "not_a_feed" and "HTML page" in str(err.value)
    fetched = fetcher.get(site.url("/"))  # fetched as anything, the parser refuses it too
    with pytest.raises(FetchError) as err:
        parse_feed(fetched, Feed(site.url("/"), "feed"))
    assert err.value.kind == "not_a_feed" and "HTML page" in str(err.value)


def test_server_error_is_an_http_error(site, fetcher):
    site.page("/rss", "database down", "text/plain", status=500)
    with pytest.raises(FetchError) as err:
        fetcher.get(site.url("/rss"), accept="feed")
    assert err.value.kind == "http" and "500" in str(err.value) and err.value.status == 500


def test_wrong_content_type(site, fetcher):
    site.page("/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    site.page("/data.json", b'{"a": 1}', "application/json")
    with pytest.raises(FetchError) as err:
        fetcher.get(site.url("/logo.png"), accept="feed")
    assert err.value.kind == "content_type" and "image/png" in str(err.value)
    with pytest.raises(FetchError) as err:
        fetcher.get(site.url("/data.json"), accept="html")
    assert err.value.kind == "content_type" and "application/json" in str(err.value)


@pytest.mark.slow
def test_read_timeout(site):
    def sleepy(request):
        time.sleep(2.0)
        request.respond(200, RSS.encode(), "application/rss+xml")
    site.route("/slow", sleepy)
    with Fetcher(FetchPolicy(allow_private=True, timeout=0.5, deadline=10)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError) as err:
            fetcher.get(site.url("/slow"), accept="feed")
    assert err.value.kind == "timeout"
    assert time.monotonic() - started < 1.5


@pytest.mark.slow
def test_slow_drip_server_hits_the_total_deadline(site):
    # one byte every 0.1 s: each read is well within the read timeout, the whole never ends
    site.route("/drip", lambda r: r.stream((b"<" for _ in range(600)), delay=0.1))
    with Fetcher(FetchPolicy(allow_private=True, timeout=2.0, deadline=1.5)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError) as err:
            fetcher.get(site.url("/drip"), accept="feed")
        elapsed = time.monotonic() - started
    assert err.value.kind == "timeout" and "deadline" in str(err.value)
    assert 1.4 < elapsed < 3.0
    assert site.sent["/drip"] < 40


@pytest.mark.slow
def test_two_gigabyte_body_stops_at_the_cap(site):
    cap = 1_000_000
    site.route("/huge", lambda r: r.stream(endless(2 * 1024 ** 3)))
    with Fetcher(FetchPolicy(allow_private=True, max_bytes=cap, timeout=5, deadline=30)) as fetcher:
        with pytest.raises(FetchError) as err:
            fetcher.get(site.url("/huge"), accept="feed")
    assert err.value.kind == "too_large"
    time.sleep(0.3)  # the server's write fails once the client has hung up
    # what the server got out is the cap plus what loopback's socket buffers held, not 2 GB
    assert cap < site.sent["/huge"] < cap + 16_000_000, site.sent["/huge"]


@pytest.mark.slow
def test_compressed_body_is_capped_by_its_decoded_size(site):
    """200 MB of zeros gzip to about 200 kB, under the cap as sent: the cap counts decoded bytes."""
    import gzip
    packed = gzip.compress(b"<?xml version='1.0'?><rss>" + b"\0" * 200_000_000, compresslevel=9)
    cap = 1_000_000
    assert len(packed) < cap
    site.page("/bomb", packed, "application/rss+xml", headers={"Content-Encoding": "gzip"})
    with Fetcher(FetchPolicy(allow_private=True, max_bytes=cap)) as fetcher:
        with pytest.raises(FetchError) as err:
            fetcher.get(site.url("/bomb"), accept="feed")
    assert err.value.kind == "too_large"


def test_content_length_over_the_cap_is_refused_unread(site):
    cap = 100_000
    def declared(request):
        h = request.handler
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(50 * cap))
        h.end_headers()
        h.close_connection = True
    site.route("/big", declared)
    with Fetcher(FetchPolicy(allow_private=True, max_bytes=cap)) as fetcher:
        with pytest.raises(FetchError) as err:
            fetcher.get(site.url("/big"), accept="feed")
    assert err.value.kind == "too_large" and "Content-Length 5,000,000" in str(err.value)


def test_redirects_are_followed_within_the_cap(site, fetcher):
    site.page("/feed", RSS, "application/rss+xml")
    site.route("/old-feed", lambda r: r.redirect("/feed", 301))
    fetched = fetcher.get(site.url("/old-feed"), accept="feed")
    assert fetched.url == site.url("/feed") and fetched.status == 200


def test_redirect_loop(site, fetcher):
    site.route("/a", lambda r: r.redirect("/b"))
    site.route("/b", lambda r: r.redirect(site.url("/a")))
    with pytest.raises(FetchError) as err:
        fetcher.get(site.url("/a"), accept="feed")
    assert err.value.kind == "redirects" and "loop" in str(err.value)
    assert site.paths() == ["/a", "/b"]


def test_too_many_redirects(site):
    for n in range(10):
        site.route(f"/hop/{n}", lambda r, n=n: r.redirect(f"/hop/{n + 1}", 307))
    with Fetcher(FetchPolicy(allow_private=True, max_redirects=3)) as fetcher:
        with pytest.raises(FetchError) as err:
            fetcher.get(site.url("/hop/0"), accept="feed")
    assert err.value.kind == "redirects" and "more than 3 redirects" in str(err.value)
    assert site.paths() == ["/hop/0", "/hop/1", "/hop/2", "/hop/3"]


def test_redirect_to_a_private_address_is_refused():
    # the feed's host (127.0.0.1) is allowed by name; it redirects to 127.0.0.2, which is not
    with Site("127.0.0.1") as allowed, Site("127.0.0.2") as private:
        private.page("/feed", RSS, "application/rss+xml")
        allowed.route("/feed", lambda r: r.redirect(private.url("/feed")))
        policy = FetchPolicy(allow_private=False, allow_networks=("127.0.0.1/32",))
        with Fetcher(policy) as fetcher:
            with pytest.raises(FetchError) as err:
                fetcher.get(allowed.url("/feed"), accept="feed")
            assert err.value.kind == "blocked" and "127.0.0.2" in str(err.value)
        assert allowed.paths() == ["/feed"]
        assert private.requests == [] and private.connections == 0


PRIVATE_FORMS = ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x7f.0.0.1", "localhost",
                 "0.0.0.0", "0", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[::1]", "[::]",
                 "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "LOCALHOST"]


@pytest.mark.parametrize("host", PRIVATE_FORMS)
def test_every_loopback_spelling_is_refused_without_a_request(site, host):
    site.page("/feed", RSS, "application/rss+xml")
    with Fetcher(FetchPolicy(allow_private=False)) as fetcher:
        with pytest.raises(FetchError) as err:
            fetcher.get(f"http://{host}:{site.port}/feed", accept="feed")
    assert err.value.kind == "blocked", str(err.value)
    assert site.requests == [] and site.connections == 0


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://10.0.0.5/", "http://172.16.4.4/",
    "http://192.168.1.1/", "http://100.64.0.1/", "http://224.0.0.251/", "http://[ff02::1]/", "http://[fc00::1]/",
    "http://240.0.0.1/", "http://255.255.255.255/", "http://[::ffff:169.254.169.254]/", "http://0xa9fea9fe/",
    "file:///etc/passwd", "gopher://127.0.0.1/", "ftp://example.org/feed.xml"])
def test_non_public_addresses_and_schemes_are_blocked(url):
    with pytest.raises(FetchError) as err:
        check_url(url)
    assert err.value.kind == "blocked"


def test_public_addresses_pass_and_allow_private_opens_loopback(site):
    check_url("http://93.184.215.14/feed")
    check_url("https://[2606:4700:4700::1111]/feed")
    check_url("http://127.0.0.1/feed", allow_private=True)
    site.page("/feed", RSS, "application/rss+xml")
    with Fetcher(FetchPolicy(allow_private=True)) as fetcher:
        assert fetcher.get(site.url("/feed"), accept="feed").status == 200
    assert site.paths() == ["/feed"]


def test_dns_rebinding_between_check_and_connect_is_refused(site, monkeypatch):
    """A name that resolves to a public address when checked and to loopback when connecting is
    refused at the connection: the connection goes only to an address just checked."""
    real = socket.getaddrinfo
    answers = iter(["93.184.215.14", "127.0.0.1", "127.0.0.1"])

    def rebinding(host, port, *args, **kwargs):
        if host == "news.rebind.example":
            address = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    site.page("/feed", RSS, "application/rss+xml")
    with Fetcher(FetchPolicy(allow_private=False)) as fetcher:
        with pytest.raises(FetchError) as err:
            fetcher.get(f"http://news.rebind.example:{site.port}/feed", accept="feed")
    assert err.value.kind == "blocked" and "127.0.0.1" in str(err.value)
    assert site.connections == 0


def test_url_list(site, fetcher):
    site.page("/latest.txt", "# Example Wire, latest stories\n\n/wire/ceasefire-holds.html\n"
                             "https://wire.example/wire/port-strike.html  breaking\n"
                             "mailto:desk@wire.example\n/wire/ceasefire-holds.html\n", "text/plain")
    feed = Feed(site.url("/latest.txt"), "urls", publisher="Example Wire")
    items = parse_url_list(fetcher.get(feed.url, accept="text"), feed)
    assert [i.url for i in items] == [site.url("/wire/ceasefire-holds.html"), "https://wire.example/wire/port-strike.html"]
    assert {i.publisher for i in items} == {"Example Wire"}
    unnamed = parse_url_list(fetcher.get(feed.url, accept="text"), Feed(feed.url, "urls"))
    assert {i.publisher for i in unnamed} == {"127.0.0.1"}


def test_fetcher_is_shared_by_threads(site, fetcher):
    from concurrent.futures import ThreadPoolExecutor
    for n in range(12):
        site.page(f"/feed/{n}", RSS.replace("Harbour Gazette - World", f"Desk {n}"), "application/rss+xml")
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda n: parse_feed(fetcher.get(site.url(f"/feed/{n}"), accept="feed"),
                                                     Feed(site.url(f"/feed/{n}"), "feed")), range(12)))
    assert [r[0].publisher for r in results] == [f"Desk {n}" for n in range(12)]
