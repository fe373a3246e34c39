"""The dev server, started for real, serves the built site and nothing else: traversal
in every encoding gets 404, links inside output/ that point out are not followed, it
listens on loopback unless told otherwise, and its error overlay escapes source text."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
from helpers import active_content
from test_server import PROTOKOLL, edit, free_port, get, wait_for

from site_gen.cli import _parser

SECRETS = (b"kind: protokoll", b"organisation:", b"root:x:0:0", b"HEMLIGT-BAKOM")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for the module: every request here only reads."""
    import shutil
    import signal
    import subprocess

    from conftest import FIXTURES

    base_dir = tmp_path_factory.mktemp("served")
    site = base_dir / "site"
    shutil.copytree(FIXTURES / "minisite", site)
    (base_dir / "secret.txt").write_text("HEMLIGT-BAKOM servern")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "site_gen.cli", "serve", "--port", str(port)],
                               cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}/"

    def up():
        try:
            return get(base)[0] == 200
        except OSError:
            return False

    try:
        wait_for(up, timeout=60)
        output = site / "output"
        os.symlink(base_dir / "secret.txt", output / "lank.txt")
        os.symlink(site, output / "lankmapp")
        os.symlink("/etc/passwd", output / "passwd.html")
        os.symlink("slinga.html", output / "slinga.html")  # a loop of links
        yield port, site
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def raw_request(port: int, target: str) -> tuple[int, bytes]:
    """Send the request line exactly as given: no client normalises the path."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    status = int(response.split(b" ", 2)[1])
    return status, response


TRAVERSALS = [
    "/../site.yml", "/../../../../../../etc/passwd", "/%2e%2e/site.yml", "/%2E%2E/%2E%2E/secret.txt",
    "/..%2fsite.yml", "/%2e%2e%2fsite.yml", "/static/..%2f..%2fsite.yml", "/static/%2e%2e/%2e%2e/site.yml",
    "/%252e%252e/site.yml", "/%252e%252e%252fsite.yml", "/..%252f..%252fetc%252fpasswd",
    "/..\\site.yml", "/%5c..%5csite.yml", "/..%5c..%5csecret.txt", "/static\\..\\..\\site.yml",
    "//etc/passwd", "///etc/passwd", "/%2fetc%2fpasswd", "/%2f%2fetc/passwd", "/etc/passwd",
    "/./../site.yml", "/.%2e/site.yml", "/%2e./site.yml", "/%c0%ae%c0%ae/site.yml", "/%c0%af../site.yml",
    "/..%c0%afsite.yml", "/%00../site.yml", "/index.html%00/../../site.yml", "/..;/site.yml",
    "/content/styrelsen/2024-03-01-protokoll.md", "/site.yml", "/../secret.txt", "/..%00/site.yml",
    "http://127.0.0.1/../site.yml", "/lank.txt", "/lankmapp/site.yml", "/lankmapp/content/styrelsen/",
    "/passwd.html", "/slinga.html", "/" + "a" * 5000, "/" + "a/" * 3000, "/slinga.html/x", "/%6c%61%6e%6b.txt", "/lankmapp%2fsite.yml", "/static/../lankmapp/site.yml",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_and_links_out_of_output_get_404(served, target):
    port, _ = served
    status, response = raw_request(port, target)
    assert status == 404, response[:300]
    for secret in SECRETS:
        assert secret not in response


def test_pages_inside_output_are_served(served):
    port, _ = served
    status, response = raw_request(port, "/styrelsen/2024-03-01/")
    assert status == 200 and b"Styrelsen" in response
    status, _ = raw_request(port, "/static/style.css")
    assert status == 200


def test_encoded_path_inside_output_is_served(served):
    port, _ = served
    status, response = raw_request(port, "/%73tyrelsen/2024-03-01/index.html")
    assert status == 200 and b"Styrelsen" in response


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net")
def test_listens_on_loopback_only_by_default(served):
    port, _ = served
    addresses = listening_addresses(port)
    assert addresses, "no listening socket found"
    # 0100007F is 127.0.0.1; ::1 is 00000000000000000000000001000000. Never 0.0.0.0 or ::.
    assert addresses <= {"0100007F", "00000000000000000000000001000000"}, addresses


def test_default_host_is_loopback():
    args = _parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"


def test_error_overlay_escapes_what_the_sources_say(served):
    port, site = served
    page = site / PROTOKOLL
    original = page.read_text(encoding="utf-8")
    edit(page, "place:", "<script>alert(1)</script><img src=x onerror=alert(1)>: x\nplace:")
    try:
        body = wait_for(lambda: (lambda b: b if "site-gen-error" in b else None)(
            get(f"http://127.0.0.1:{port}/styrelsen/2024-03-01/")[1]))
        overlay = body[body.index('<div id="site-gen-error"'):]
        assert "unknown key &#39;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in overlay
        assert active_content(overlay) == []
    finally:
        page.write_text(original, encoding="utf-8")
        wait_for(lambda: "site-gen-error" not in get(f"http://127.0.0.1:{port}/styrelsen/2024-03-01/")[1])


def test_a_host_that_is_no_address_is_a_clear_error(minisite):
    import subprocess

    result = subprocess.run([sys.executable, "-m", "site_gen.cli", "serve", "--host", "no-such-host.invalid"],
                            cwd=minisite, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "cannot serve on 'no-such-host.invalid'" in result.stderr and "--host" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_port_in_use_is_a_clear_error(minisite):
    import subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "site_gen.cli", "serve", "--port", str(port)],
                                cwd=minisite, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use (choose another with --port)" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "Serving" not in result.stderr + result.stdout  # not announced before it fails
    assert not (minisite / "output").exists()  # nor built first


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1", "8000.5", "abc", ""])
def test_a_port_outside_1_to_65535_is_refused(port, capsys):
    # The socket library took 99999 for 34463 and 0 for a port of its choosing, while
    # serve announced the number given; -1 was blamed on --host.
    with pytest.raises(SystemExit) as stopped:
        _parser().parse_args(["serve", "--port", port])
    assert stopped.value.code == 2
    assert "argument --port" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["1", "8000", "65535"])
def test_a_port_from_1_to_65535_is_taken(port):
    assert _parser().parse_args(["serve", "--port", port]).port == int(port)


def test_the_port_error_names_the_range(capsys):
    with pytest.raises(SystemExit):
        _parser().parse_args(["serve", "--port", "99999"])
    assert "whole number from 1 to 65535" in capsys.readouterr().err


def serve_once(cwd: Path, *args: str):
    import subprocess

    return subprocess.run([sys.executable, "-m", "site_gen.cli", "serve", "--port", str(free_port()), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


def test_a_folder_without_site_yml_is_not_served(tmp_path):
    folder = tmp_path / "inte-en-webbplats"
    folder.mkdir()
    result = serve_once(folder)
    assert result.returncode == 1
    assert f"no site.yml found in {folder}" in result.stderr
    assert "Serving" not in result.stderr and "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []  # no cache, no output


def test_a_site_folder_that_does_not_exist_is_not_made(tmp_path):
    result = serve_once(tmp_path, "--site", "felstavad")
    assert result.returncode == 1
    assert f"there is no folder {tmp_path / 'felstavad'}" in result.stderr and "--site" in result.stderr
    assert list(tmp_path.iterdir()) == []


def raw_headers(response: bytes) -> dict[str, str]:
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    return {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in head)}


@pytest.mark.parametrize(("target", "location"), [
    ("/styrelsen/2024-03-01", "/styrelsen/2024-03-01/"),
    ("/styrelsen/2024-03-01?a=1&b=%C3%A5", "/styrelsen/2024-03-01/?a=1&b=%C3%A5"),
    ("/%73tyrelsen/2024-03-01", "/styrelsen/2024-03-01/"),
    ("/styrelsen", "/styrelsen/"),
    ("//styrelsen/2024-03-01", "/styrelsen/2024-03-01/"),  # never '//…': another host
    ("/arkiv", "/arkiv/"),
])
def test_a_page_address_without_its_slash_is_redirected(served, target, location):
    # The pages link relatively: from /styrelsen/2024-03-01 'utdrag/' led to /styrelsen/utdrag/.
    port, _ = served
    status, response = raw_request(port, target)
    assert status == 301, response[:300]
    assert raw_headers(response)["location"] == location


@pytest.mark.parametrize("target", ["/static", "/lankmapp", "/lankmapp/content", "/styrelsen/2024-03-01/index.html/"])
def test_only_folders_of_output_holding_a_page_are_redirected(served, target):
    port, _ = served
    status, response = raw_request(port, target)
    assert status != 301, response[:300]
    for secret in SECRETS:
        assert secret not in response


def test_a_first_build_that_fails_is_not_said_to_leave_a_good_one(minisite, capsys):
    from site_gen.server import DevServer

    edit(minisite / PROTOKOLL, "date: 2024-03-01", "date: 2024-02-30")
    server = DevServer(minisite)
    server.rebuild()
    assert "nothing to show until it builds" in capsys.readouterr().err
    edit(minisite / PROTOKOLL, "date: 2024-02-30", "date: 2024-03-01")
    server.rebuild()
    edit(minisite / PROTOKOLL, "date: 2024-03-01", "date: 2024-02-30")
    server.rebuild()
    assert "serving the last good build" in capsys.readouterr().err
