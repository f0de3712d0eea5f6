"""``gdlab demo --serve``: the page on the classroom's network, with a QR code to open it.

The server listens on the one address the teacher names (never on every interface at once),
serves the output folder read-only, and stops with Ctrl-C. The page it serves shows its own
address as a QR code; the terminal prints the same code. ``segno`` draws the codes (imported
only here).
"""

from __future__ import annotations

import functools
import io
import ipaddress
import socket
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8000


def lan_address() -> str:
    """This machine's address on the network its default route leads to.

    A UDP socket "connected" to a documentation address sends nothing; it only makes the
    system pick the interface, whose address is then read back.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))
        address = str(probe.getsockname()[0])
    except OSError:
        raise ValueError(
            "--serve lan: this machine is on no network with a route out; name the address "
            "to listen on, e.g. --serve 192.168.1.20"
        ) from None
    finally:
        probe.close()
    return address


def parse_address(text: str) -> tuple[str, int]:
    """``ADDRESS[:PORT]`` (or ``lan[:PORT]``) as ``(host, port)``; port 0 picks a free one.

    Examples
    --------
    >>> parse_address("192.168.1.20"), parse_address("127.0.0.1:0")
    (('192.168.1.20', 8000), ('127.0.0.1', 0))
    >>> parse_address("0.0.0.0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --serve expects one address of this machine (...), not 0.0.0.0, which would ...
    """
    host, sep, port_text = text.strip().rpartition(":")
    if not sep:
        host, port_text = port_text, str(DEFAULT_PORT)
    try:
        port = int(port_text)
        if not 0 <= port <= 65535:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"--serve expects ADDRESS[:PORT] with a port from 0 to 65535, got {text!r}"
        ) from None
    if host == "lan":
        host = lan_address()
    try:
        unspecified = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        unspecified = False  # a host name: the system resolves it when binding
    if unspecified or not host:
        raise ValueError(
            "--serve expects one address of this machine (e.g. 192.168.1.20, or lan), not "
            f"{host or 'an empty address'}, which would open the page to every network the "
            "machine is on"
        )
    return host, port


class _Quiet(SimpleHTTPRequestHandler):
    """Serves one folder; keeps the terminal for the address and the QR code."""

    def log_message(self, format: str, *args: Any) -> None:
        return


def open_server(folder: str | Path, host: str, port: int) -> ThreadingHTTPServer:
    """A server bound to ``host:port`` serving ``folder`` (call ``serve_forever``).

    Raises
    ------
    ValueError
        When the address is not this machine's, or the port is taken.
    """
    handler = functools.partial(_Quiet, directory=str(folder))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as err:
        raise ValueError(
            f"--serve: cannot listen on {host}:{port} ({err.strerror or err}); name one of this "
            "machine's addresses (e.g. lan) and a free port"
        ) from None


def page_address(server: ThreadingHTTPServer) -> str:
    """The page's address on ``server``."""
    host, port = server.server_address[:2]
    host = host.decode() if isinstance(host, bytes) else str(host)
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def qr_terminal(url: str) -> str:
    """``url`` as a QR code drawn with block characters, for a terminal."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def qr_svg(url: str) -> str:
    """``url`` as a QR code, an inline ``<svg>`` element."""
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff"))
