"""``gdlab demo --serve``: one chosen address, the page over HTTP, its QR code."""

from __future__ import annotations

import socket
import threading
import urllib.request
from pathlib import Path

import pytest

from gdlab.cli import main
from gdlab.report import serve


def test_parse_address_takes_one_address_and_a_port() -> None:
    assert serve.parse_address("192.168.1.20") == ("192.168.1.20", 8000)
    assert serve.parse_address("127.0.0.1:0") == ("127.0.0.1", 0)
    assert serve.parse_address("localhost:9000") == ("localhost", 9000)
    for text, message in (
        ("0.0.0.0", "not 0.0.0.0, which would open the page to every network"),
        ("[::]:80", "not ::, which would open"),
        (":8000", "not an empty address"),
        ("10.0.0.1:http", "with a port from 0 to 65535"),
        ("10.0.0.1:70000", "with a port from 0 to 65535"),
    ):
        with pytest.raises(ValueError, match=message.replace("(", r"\(")):
            serve.parse_address(text.replace("[", "").replace("]", ""))


def test_lan_says_what_to_do_when_there_is_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    class Offline(socket.socket):
        def connect(self, address: object) -> None:
            raise OSError("Network is unreachable")

    monkeypatch.setattr(serve.socket, "socket", Offline)
    with pytest.raises(ValueError, match="name the address to listen on"):
        serve.parse_address("lan:8000")


def test_an_address_that_is_not_this_machines_is_refused() -> None:
    with pytest.raises(ValueError, match=r"cannot listen on 203\.0\.113\.9:8000"):
        serve.open_server(".", "203.0.113.9", 8000)


def test_the_server_serves_the_folder_on_the_address_given(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<p>lesson</p>", encoding="utf-8")
    server = serve.open_server(tmp_path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = serve.page_address(server)
        assert url.startswith("http://127.0.0.1:") and server.server_address[0] == "127.0.0.1"
        with urllib.request.urlopen(url, timeout=10) as reply:
            assert reply.read().decode() == "<p>lesson</p>"
    finally:
        server.shutdown()
        server.server_close()


def test_qr_codes_for_the_terminal_and_the_page() -> None:
    url = "http://192.168.1.20:8000/"
    text = serve.qr_terminal(url)
    assert len(text.splitlines()) > 10 and set(text) <= set("█▀▄ \n")
    assert serve.qr_svg(url).startswith("<svg") and "qrline" in serve.qr_svg(url)


def test_demo_serve_prints_the_address_and_its_code_and_the_page_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[str] = []

    def once(self: serve.ThreadingHTTPServer, poll_interval: float = 0.5) -> None:
        served.append(serve.page_address(self))
        raise KeyboardInterrupt  # the teacher's Ctrl-C

    monkeypatch.setattr(serve.ThreadingHTTPServer, "serve_forever", once)
    out = tmp_path / "page"
    argv = ["demo", "--only", "contours", "--out", str(out), "--serve", "127.0.0.1:0"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert f"serving the page at {served[0]}" in printed and "stopped serving" in printed
    assert "█" in printed
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<aside class="share">' in page and f'href="{served[0]}"' in page
