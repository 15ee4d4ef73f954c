"""The normal form of a source's URL: two addresses with one normal form are one source.

Only what cannot tell two documents apart is changed (RFC 3986, section 6.2.2-6.2.3): the
scheme's and host's case, the scheme's default port, the fragment (a place in the page,
never sent to the server) and the ``/`` of an empty path. The path and query are the
server's to interpret, so their case, a trailing slash and the order of parameters stay.
"""

from urllib.parse import SplitResult, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # reads the port: a ValueError if it is not one
    except ValueError:
        return url  # the URL validator refuses it with a message; nothing to match
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address, which urlsplit gives without its brackets
        host = f"[{host}]"
    userinfo, at, _ = parts.netloc.rpartition("@")
    netloc = f"{userinfo}{at}{host}"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = parts.path or ("/" if netloc else "")
    return SplitResult(scheme, netloc, path, parts.query, "").geturl()
