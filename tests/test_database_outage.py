"""A really unreachable PostgreSQL: the Dutch 503 page, recovery, and a streaming export cut off (docs/security.md, row 5.1).

The shared PostgreSQL server is never stopped (other tests run on it): a small
TCP proxy in the test stands between the application and the server. The
application (a live WSGI server in a thread, the way it serves in production:
a new database connection per request) connects through the proxy; stopping
the proxy closes its port and cuts its open connections, so that PostgreSQL
is really unreachable for the application (connection refused), whatever
the driver does.

PostgreSQL only: on SQLite there is no network connection to cut. Outside
CI (CI=true) those tests skip on SQLite; in CI they must run. The last test
(the export's failure line) runs on both.
"""

import http.client
import os
import socket
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import reverse

from tests import factories

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def postgresql_only():
    if connection.vendor == "postgresql":
        return
    if IN_CI:
        pytest.fail("CI=true: the outage tests must run against PostgreSQL (DATABASE_URL)")
    pytest.skip("needs PostgreSQL (a network connection to cut); runs in CI")


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the database server; stop() closes the port and cuts every open connection."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = 0
        self.accepted = 0
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener = None

    def start(self) -> "TcpProxy":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))  # the same port again after a stop
        listener.listen(32)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # stopped
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, server}
                self.accepted += 1
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                _shut(sock)

    def stop(self) -> None:
        _shut(self._listener)
        self._listener.close()
        with self._lock:
            cut, self._open = list(self._open), set()
        for sock in cut:
            _shut(sock)
            sock.close()


def _shut(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


@pytest.fixture
def proxy(postgresql_only):
    db = connection.settings_dict
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def app_behind(proxy):
    """A live server whose database connections go through the proxy (the test's own connection stays direct)."""
    settings_dict = connection.settings_dict  # shared with the connections the server's thread opens
    original = settings_dict["HOST"], settings_dict["PORT"]
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(proxy.port)
    server = LiveServerThread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        server.join(timeout=30)
        settings_dict["HOST"], settings_dict["PORT"] = original


def get(url: str, headers: dict | None = None):
    """(status, headers, body) of a GET; error statuses are answers too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.mark.django_db
def test_a_really_unreachable_postgresql_answers_the_dutch_503_and_the_app_recovers_when_it_returns(proxy, app_behind):
    login = app_behind + reverse("accounts:login")
    status, _headers, _body = get(login)
    assert status == 200
    assert proxy.accepted >= 1  # the page's database connection went through the proxy

    proxy.stop()  # the port closed, the open connections cut: connection refused
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    status, headers, body = get(login)
    assert status == 503
    assert headers["Retry-After"] == "60"
    assert "Doorstroom is tijdelijk niet beschikbaar" in body
    assert "Traceback" not in body and "refused" not in body and "psycopg" not in body

    proxy.start()  # the database is back: the next request is served normally
    status, _headers, body = get(login)
    assert status == 200
    assert "Doorstroom is tijdelijk niet beschikbaar" not in body


@pytest.mark.django_db(transaction=True)
def test_a_csv_export_cut_off_by_a_lost_database_ends_with_a_line_saying_it_is_incomplete(
    proxy, app_behind, client, administrator, monkeypatch
):
    """Once the export's first line is sent, the status cannot become 503: the file says it is incomplete instead."""
    from common import export

    for _ in range(12):
        factories.EmployeeFactory()
    client.force_login(administrator)  # the session is committed (transactional test): the server sees it
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    monkeypatch.setattr(export, "CHUNK_SIZE", 3)  # a database round trip per 3 rows
    monkeypatch.setattr(export, "PLAIN_QUERY_ROWS", 0)  # not read at once: through the cursor
    reached, go_on = threading.Event(), threading.Event()
    table_rows = export.table_rows

    def rows_pausing_after_the_first_chunk(*args, **kwargs):
        for number, row in enumerate(table_rows(*args, **kwargs)):
            yield row
            if number == 3:  # the header and the first chunk sent
                reached.set()
                go_on.wait(60)

    monkeypatch.setattr(export, "table_rows", rows_pausing_after_the_first_chunk)
    port = int(app_behind.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", reverse("employees:list") + "?_export=csv", headers={"Cookie": cookie})
    response = conn.getresponse()
    assert response.status == 200
    assert reached.wait(60)
    proxy.stop()  # the database lost in the middle of the export
    go_on.set()
    try:
        body = response.read()
    except http.client.IncompleteRead as cut:  # chunked transfer: the connection broken off
        body = cut.partial
    lines = body.decode("utf-8-sig").strip().splitlines()
    assert len(lines) < 1 + 12
    assert lines[-1].startswith("EXPORT ONVOLLEDIG")
    proxy.start()


def test_a_csv_export_that_fails_after_it_started_says_so_in_its_last_line_and_breaks_off(
    client, administrator, monkeypatch
):
    """In-process, on any database: the error after the first line is logged and raised again after the Dutch line."""
    from django.db import OperationalError

    from common import export

    factories.EmployeeFactory.create_batch(3)
    table_rows = export.table_rows

    def rows_then_failure(*args, **kwargs):
        rows = table_rows(*args, **kwargs)
        yield next(rows)
        yield next(rows)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(export, "table_rows", rows_then_failure)
    client.force_login(administrator)
    response = client.get(reverse("employees:list"), {"_export": "csv"})
    assert response.status_code == 200
    received = []
    with pytest.raises(OperationalError):
        for chunk in response.streaming_content:
            received.append(chunk.decode("utf-8-sig"))
    lines = "".join(received).strip().splitlines()
    assert len(lines) == 3  # the header, one person, the line saying the file is incomplete
    assert lines[-1] == (
        "EXPORT ONVOLLEDIG: een fout onderbrak de export en er ontbreken rijen in dit bestand. Exporteer opnieuw."
    )
