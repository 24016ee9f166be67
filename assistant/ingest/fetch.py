"""Downloading one document with httpx: http(s) only, timeouts, a size cap,
at most five redirects, and a conditional request when a previous copy is known.

The only network code in the package. It returns bytes and provenance; it
never writes files (corpus_ops.py decides what to keep).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx

from ..errors import FetchError

MAX_REDIRECTS = 5
USER_AGENT = "hcb-assistant/0.1 (corpus fetch)"



@dataclass(frozen=True)
class Download:
    url: str                 # the address asked for
    final_url: str           # after redirects
    not_modified: bool       # the server answered 304 to a conditional request
    data: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    retrieved: str = ""      # ISO 8601 UTC time of the response

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_url(url: str) -> None:
    """Only absolute http and https addresses are fetched."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"{url!r} is not an http(s) address: only http and https documents can be fetched")


def make_client(timeout: float = 30.0) -> httpx.Client:
    """A client that refuses non-http(s) redirects and follows at most MAX_REDIRECTS."""
    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=MAX_REDIRECTS,
                        headers={"User-Agent": USER_AGENT},
                        event_hooks={"request": [lambda request: check_url(str(request.url))]})


def download(url: str, *, max_bytes: int, timeout: float = 30.0, etag: str = "", last_modified: str = "",
             client: httpx.Client | None = None) -> Download:
    """GET `url`; with `etag`/`last_modified` the request is conditional (304 → `not_modified`).

    Raises FetchError with a one-line reason: no network, timeout, too many
    redirects, an HTTP error status, or a body over `max_bytes`.
    """
    check_url(url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own = client is None
    client = client or make_client(timeout)
    host = urlsplit(url).netloc
    try:
        with client.stream("GET", url, headers=headers) as r:
            if r.status_code == 304:
                return Download(url, str(r.url), True, retrieved=_now())
            if r.status_code >= 400:
                raise FetchError(f"{url} answered HTTP {r.status_code} {r.reason_phrase}: check the address")
            declared = int(r.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise FetchError(f"{url} is {declared:,} bytes, over the {max_bytes:,}-byte limit: raise HCB_FETCH_MAX_BYTES if it is genuine")
            chunks, size = [], 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url} is over the {max_bytes:,}-byte limit: raise HCB_FETCH_MAX_BYTES if it is genuine")
                chunks.append(chunk)
            return Download(url, str(r.url), False, b"".join(chunks), r.headers.get("Content-Type", ""),
                            r.headers.get("ETag", ""), r.headers.get("Last-Modified", ""), _now())
    except httpx.TooManyRedirects:
        raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times: check the address") from None
    except httpx.TimeoutException:
        raise FetchError(f"{url} did not answer within {timeout:g} s: try again later") from None
    except (httpx.ConnectError, httpx.ProxyError):
        raise FetchError(f"cannot connect to {host} (no network?)") from None
    except httpx.HTTPError as e:
        raise FetchError(f"{url} could not be downloaded ({type(e).__name__}: {e})") from None
    finally:
        if own:
            client.close()


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
