#!/usr/bin/python3
"""End-to-end checks of `tandem serve` over loopback: the API flow a coordinator goes through,
the server's limits on the socket, graceful stop on SIGTERM, no acknowledged write lost to
kill -9, and two server processes sharing one database (sessions and jobs). Starts its own
servers on free ports with temporary SQLite databases and kills them on every exit path.
Prints one line per failure and closes with "N passed, N failed".

    /usr/bin/python3 tests/server/check_server.py --tandem build/dev/apps/tandem --repo .

With TANDEM_TEST_PG set to the connection URL of a throwaway PostgreSQL database
(scripts/pg-test-server.sh), the two-process check also runs over PostgreSQL.
Standard library only.
"""
import argparse
import atexit
import ctypes
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PASSWORD = "tandem-demo"
COORDINATOR = "coordinator@northwind.example"
PROBLEM_JSON = "application/problem+json"

_servers = []


def _die_with_parent():
    # The servers die with this script even when it is killed with SIGKILL (CTest's timeout).
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux: the atexit and finally cleanups remain
        pass


def _kill_all():
    for server in _servers:
        server.kill()


atexit.register(_kill_all)


class ServerError(Exception):
    pass


class Server:
    """One `tandem serve` process on a free port (--port 0; the port is read from its banner)."""

    def __init__(self, tandem, database, demo=False, demo_people=300, extra=()):
        self.database = database
        cmd = [tandem, "serve", "--port", "0", "--database", database, *extra]
        if demo:
            cmd += ["--demo", "--demo-people", str(demo_people)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     preexec_fn=_die_with_parent)
        _servers.append(self)
        self.out = []
        self.err = []
        self._ready = threading.Event()
        self.port = None
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.out, True), daemon=True).start()
        self._err_thread = threading.Thread(target=self._pump, args=(self.proc.stderr, self.err, False),
                                            daemon=True)
        self._err_thread.start()
        deadline = time.monotonic() + 60
        while not self._ready.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                self._err_thread.join(2)
                raise ServerError(f"tandem serve did not start (exit {self.proc.returncode}): "
                                  f"{self.stderr.strip()[-500:]}")

    def _pump(self, stream, sink, banner):
        for line in stream:
            sink.append(line)
            if banner and self.port is None:
                m = re.search(r"serving on http://[^ ]*:(\d+)/", line)
                if m:
                    self.port = int(m.group(1))
                    self._ready.set()

    @property
    def stderr(self):
        return "".join(self.err)

    @property
    def pid(self):
        return self.proc.pid

    def client(self):
        return Client(self.port)

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        """Sends `sig`; returns (exit code or None when it did not exit in time, seconds)."""
        start = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None, time.monotonic() - start
        elapsed = time.monotonic() - start
        self._err_thread.join(2)
        return self.proc.returncode, elapsed

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass


class Reply:
    def __init__(self, status, headers, body, seconds=0.0):
        self.status = status
        self.headers = headers
        self.body = body
        self.seconds = seconds

    def header(self, name):
        return self.headers.get(name) if self.headers is not None else None

    def all_headers(self, name):
        return self.headers.get_all(name) or [] if self.headers is not None else []

    @property
    def content_type(self):
        return (self.header("Content-Type") or "").split(";")[0].strip()

    def json(self):
        try:
            return json.loads(self.body)
        except (ValueError, TypeError):
            return None

    def __repr__(self):
        return f"{self.status} {self.content_type} {self.body[:300]!r}"


class Client:
    """HTTP over loopback with the session cookie and the CSRF token of the last login."""

    def __init__(self, port):
        self.port = port
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, content_type="application/json", headers=None,
                csrf=True, cookie=True, timeout=30):
        h = {}
        if body is not None:
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            if isinstance(body, str):
                body = body.encode()
            h["Content-Type"] = content_type
        if cookie and self.cookie:
            h["Cookie"] = "tandem_session=" + self.cookie
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        start = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            return Reply(resp.status, resp.headers, data, time.monotonic() - start)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body if body is not None else {}, **kw)

    def login(self, email, password=PASSWORD):
        r = self.request("POST", "/api/v1/session", {"email": email, "password": password},
                         cookie=False)
        if r.status == 200:
            for value in r.all_headers("Set-Cookie"):
                m = re.match(r"tandem_session=([^;]*)", value)
                if m:
                    self.cookie = m.group(1)
            self.csrf = (r.json() or {}).get("csrf_token")
        return r

    def wait_job(self, job_id, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            r = self.get(f"/api/v1/jobs/{job_id}")
            job = r.json() if r.status == 200 else None
            if job and job.get("state") in ("succeeded", "failed", "cancelled"):
                return job
            if time.monotonic() > deadline:
                return job or {"state": f"HTTP {r.status}"}
            time.sleep(0.1)


def raw_exchange(port, chunks, timeout=10.0):
    """Sends raw bytes (an iterable of chunks; stops sending when the server closes) and returns
    everything the server answered until it closed the connection or `timeout` passed."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sent_error = None
    try:
        try:
            for chunk in chunks:
                s.sendall(chunk)
        except OSError as e:  # the server closed while we were still sending
            sent_error = e
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                part = s.recv(65536)
            except socket.timeout:
                break
            except OSError as e:
                sent_error = sent_error or e
                break
            if not part:
                break
            data += part
        return data, sent_error
    finally:
        s.close()


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


class Checks:
    def __init__(self, verbose=False):
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self.skipped = []

    def __call__(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}", flush=True)
        return ok

    def skip(self, name, why):
        self.skipped.append(name)
        print(f"SKIP {name}: {why}", flush=True)


def is_problem(r, status):
    body = r.json() or {}
    return r.status == status and r.content_type == PROBLEM_JSON and body.get("status") == status \
        and isinstance(body.get("title"), str) and isinstance(body.get("type"), str)


# ---- the API flow ---------------------------------------------------------------------------

def check_flow(check, tandem, repo, tmp):
    server = Server(tandem, os.path.join(tmp, "flow.db"), demo=True)
    c = server.client()

    r = c.get("/api/v1/health")
    check("health", r.status == 200 and r.json() == {"status": "ok"}, r)

    r = c.get("/api/v1/session")
    check("no session -> 401 problem", is_problem(r, 401), r)

    r = c.login(COORDINATOR)
    cookie = next((v for v in r.all_headers("Set-Cookie") if v.startswith("tandem_session=")), "")
    attributes = [a.strip().lower() for a in cookie.split(";")[1:]]
    check("login 200 with csrf_token", r.status == 200 and bool(c.csrf), r)
    check("session cookie HttpOnly, SameSite=Strict, Path=/",
          "httponly" in attributes and "samesite=strict" in attributes and "path=/" in attributes
          and c.cookie, cookie)
    check("no Secure cookie without --secure-cookies", "secure" not in attributes, cookie)

    r = c.get("/api/v1/session")
    body = r.json() or {}
    check("GET session", r.status == 200 and body.get("account", {}).get("email") == COORDINATOR
          and body.get("csrf_token") == c.csrf, r)

    # CSRF and Origin: refused and nothing written
    r = c.post("/api/v1/programs", {"name": "no csrf"}, csrf=False)
    check("unsafe request without X-CSRF-Token -> 403 problem", is_problem(r, 403), r)
    r = c.post("/api/v1/programs", {"name": "wrong csrf"}, headers={"X-CSRF-Token": "x" + (c.csrf or "")})
    check("wrong X-CSRF-Token -> 403", is_problem(r, 403), r)
    r = c.post("/api/v1/programs", {"name": "cross origin"},
               headers={"Origin": "https://evil.example"})
    check("cross-site Origin -> 403", is_problem(r, 403), r)
    r = c.get("/api/v1/programs")
    names = [p["name"] for p in (r.json() or {}).get("items", [])]
    check("refused requests wrote nothing",
          r.status == 200 and not {"no csrf", "wrong csrf", "cross origin"} & set(names), names)

    # import: preview writes nothing, commit writes all
    with open(os.path.join(repo, "samples/people.csv"), "rb") as f:
        csv_bytes = f.read()
    rows = len(csv_bytes.decode().strip().splitlines()) - 1
    total_before = (c.get("/api/v1/people?limit=1").json() or {}).get("total")
    r = c.post("/api/v1/people/import?mode=preview", csv_bytes, content_type="text/csv")
    body = r.json() or {}
    check("import preview", r.status == 200 and body.get("committed") is False
          and body.get("rows_read") == rows and body.get("valid_rows") == rows
          and body.get("errors") == [] and body.get("new_people") == rows, r)
    r = c.get("/api/v1/people/T01")
    check("preview wrote nothing", r.status == 404, r)
    r = c.post("/api/v1/people/import?mode=commit", csv_bytes, content_type="text/csv")
    body = r.json() or {}
    check("import commit", r.status == 200 and body.get("committed") is True
          and body.get("new_people") == rows, r)
    r = c.get("/api/v1/people/T01")
    check("imported person readable", r.status == 200 and (r.json() or {}).get("name") == "Maya Chen", r)
    total_after = (c.get("/api/v1/people?limit=1").json() or {}).get("total")
    check("people total grew by the rows", total_before is not None and total_after == total_before + rows,
          f"{total_before} -> {total_after}")
    r = c.post("/api/v1/people/import?mode=commit", csv_bytes, content_type="text/csv")
    check("re-import updates, adds nobody", r.status == 200 and (r.json() or {}).get("updated_people") == rows
          and (r.json() or {}).get("new_people") == 0, r)
    with open(os.path.join(repo, "tests/data/people/bad_rows.csv"), "rb") as f:
        bad = f.read()
    r = c.post("/api/v1/people/import?mode=commit", bad, content_type="text/csv")
    errors = (r.json() or {}).get("errors") or []
    check("bad rows: 422 naming line, field, reason", is_problem(r, 422) and errors
          and all("line" in e and "field" in e and e.get("reason") for e in errors), r)
    r = c.get("/api/v1/people/B1")
    check("bad file imported nothing (not even its good rows)", r.status == 404, r)
    r = c.post("/api/v1/people/import?mode=commit", csv_bytes, content_type="text/plain")
    check("import with another Content-Type -> 415", is_problem(r, 415), r)

    # a program through its lifecycle
    r = c.post("/api/v1/programs", {"name": "E2E leadership", "model": "traditional"})
    program = r.json() or {}
    pid = program.get("id")
    check("create program 201", r.status == 201 and program.get("status") == "draft"
          and r.header("Location") == f"/api/v1/programs/{pid}", r)
    r = c.post("/api/v1/programs", {"name": "E2E leadership", "model": "traditional"})
    check("duplicate program name -> 409", is_problem(r, 409), r)
    r = c.post("/api/v1/programs", {"name": "E2E speedy", "model": "speedy"})
    check("unknown model -> 422 naming the field", is_problem(r, 422)
          and any(e.get("field") == "model" for e in (r.json() or {}).get("errors", [])), r)
    r = c.post(f"/api/v1/programs/{pid}/runs")
    check("run of a draft program -> 409", is_problem(r, 409), r)
    r = c.post(f"/api/v1/programs/{pid}/status", {"status": "matching"})
    check("draft -> matching directly -> 409", is_problem(r, 409), r)
    for status in ("enrolling", "matching"):
        r = c.post(f"/api/v1/programs/{pid}/status", {"status": status})
        check(f"status -> {status}", r.status == 200 and (r.json() or {}).get("status") == status, r)

    # a matching run as a job
    r = c.post(f"/api/v1/programs/{pid}/runs")
    job = r.json() or {}
    check("start run -> 202 with the job", r.status == 202 and job.get("state") in ("queued", "running")
          and r.header("Location") == f"/api/v1/jobs/{job.get('id')}", r)
    job = c.wait_job(job.get("id"))
    check("job succeeded", job.get("state") == "succeeded" and job.get("progress") == 1.0
          and isinstance((job.get("result") or {}).get("run_id"), int), job)
    run_id = (job.get("result") or {}).get("run_id")
    r = c.get(f"/api/v1/runs/{run_id}")
    run = r.json() or {}
    pairs = run.get("pairs") or []
    summary = run.get("summary") or {}
    check("GET run", r.status == 200 and run.get("program_id") == pid, r)
    check("run pairs with explanations", pairs and all(p.get("explanation") and p.get("mentee_id")
                                                       and p.get("mentor_id") for p in pairs),
          str(pairs[:2])[:300])
    check("run certificate checked", (summary.get("certificate") or {}).get("checked") is True,
          str(summary)[:300])
    check("run summary agrees with pairs", summary.get("matched") == len(pairs)
          and summary.get("mentees") == len(pairs) + len(run.get("unmatched") or []),
          f"{summary.get('matched')} {summary.get('mentees')} {len(pairs)}")
    check("unmatched have reasons", all(u.get("reason") for u in run.get("unmatched") or []))
    mentees = [p["mentee_id"] for p in pairs]
    check("no mentee twice", len(mentees) == len(set(mentees)))
    r = c.get(f"/api/v1/programs/{pid}/runs")
    items = (r.json() or {}).get("items") or []
    check("program lists its run", r.status == 200 and [i.get("id") for i in items] == [run_id], r)

    # errors are problem+json
    r = c.get("/api/v1/no-such-thing")
    check("unknown path -> 404 problem+json", is_problem(r, 404), r)
    r = c.get("/api/v1/runs/999999")
    check("unknown run -> 404", is_problem(r, 404), r)
    r = c.post("/api/v1/programs", b"{not json")
    check("bad JSON -> 400 problem+json", is_problem(r, 400), r)
    r = c.request("DELETE", "/api/v1/programs")
    allow = {m.strip() for m in (r.header("Allow") or "").split(",")}
    check("wrong method -> 405 with Allow", is_problem(r, 405) and allow == {"GET", "POST"}, r)

    # roles
    mentee = server.client()
    r = mentee.login("mentee@northwind.example")
    check("mentee login", r.status == 200, r)
    r = mentee.get(f"/api/v1/runs/{run_id}")
    check("mentee -> 403 on a run", is_problem(r, 403), r)
    r = mentee.get("/api/v1/people")
    check("mentee -> 403 on the people directory", is_problem(r, 403), r)
    r = mentee.post("/api/v1/programs", {"name": "mentee's program"})
    check("mentee cannot create a program", is_problem(r, 403), r)
    committee = server.client()
    committee.login("committee@northwind.example")
    r = committee.get(f"/api/v1/runs/{run_id}")
    check("committee of another program -> 403 on this run", is_problem(r, 403), r)
    executive = server.client()
    executive.login("executive@northwind.example")
    r = executive.get(f"/api/v1/programs/{pid}/runs")
    check("executive reads run summaries", r.status == 200 and len((r.json() or {}).get("items", [])) == 1, r)
    r = executive.get(f"/api/v1/runs/{run_id}")
    check("executive -> 403 on the pairs", is_problem(r, 403), r)

    # the people directory page by page: every person once
    seen, cursor, pages = [], None, 0
    while pages < 100:
        r = c.get("/api/v1/people?limit=100" + (f"&cursor={cursor}" if cursor else ""))
        body = r.json() or {}
        seen += [p["id"] for p in body.get("items", [])]
        cursor, pages = body.get("next_cursor"), pages + 1
        if r.status != 200 or not cursor:
            break
    check("people pages: everyone once", len(seen) == len(set(seen)) == total_after,
          f"{len(seen)} listed, {len(set(seen))} distinct, total {total_after}")
    for bad_limit in ("0", "1001", "x"):
        r = c.get(f"/api/v1/people?limit={bad_limit}")
        check(f"limit={bad_limit} -> 422", is_problem(r, 422), r)

    # the audit log has the coordinator's changes, and an admin's read of private fields
    admin = server.client()
    admin.login("admin@northwind.example")
    r = admin.get("/api/v1/people/T01")
    check("admin reads private fields", r.status == 200 and "personality" in (r.json() or {}), r)
    r = admin.get("/api/v1/audit?limit=1000")
    actions = [e.get("action") for e in (r.json() or {}).get("items", [])]
    check("audit log records the changes", r.status == 200 and all(
        a in actions for a in ("session.login", "people.import", "program.create", "program.status",
                               "run.start", "person.read_private")), actions[:20])
    r = c.get("/api/v1/audit")
    check("audit log is for admins only", is_problem(r, 403), r)

    # logout: the same cookie is worthless afterwards
    r = c.request("DELETE", "/api/v1/session")
    cleared = any(v.startswith("tandem_session=;") and "max-age=0" in v.lower()
                  for v in r.all_headers("Set-Cookie"))
    check("logout 204 clears the cookie", r.status == 204 and cleared, r)
    r = c.get("/api/v1/session")
    check("after logout -> 401", is_problem(r, 401), r)
    r = c.post("/api/v1/programs", {"name": "after logout"})
    check("after logout, writes -> 401", is_problem(r, 401), r)

    check_limits(check, server)
    check_login_failures(check, server)

    # a second server on a port in use fails with a message and a non-zero exit
    r = subprocess.run([tandem, "serve", "--port", str(server.port), "--database",
                        os.path.join(tmp, "other.db")], capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    check("port in use -> non-zero exit with a message", r.returncode != 0 and r.stderr.strip()
          and "serving on" not in r.stdout, f"exit {r.returncode}: {r.stderr[-200:]}")
    server.stop()


def check_login_failures(check, server):
    """Runs last on its server: failed logins from loopback end in the address's rate limit."""
    c = server.client()
    known = [c.login(COORDINATOR, "wrong password") for _ in range(2)]
    unknown = [c.login("nobody@northwind.example", "wrong password") for _ in range(2)]
    check("wrong password and unknown email: same answer",
          all(r.status == 401 for r in known + unknown) and known[0].body == unknown[0].body,
          f"{known[0]} / {unknown[0]}")
    t_known = statistics.median(r.seconds for r in known)
    t_unknown = statistics.median(r.seconds for r in unknown)
    # docs/api.md: "An unknown email and a wrong password get the same answer, in the same time."
    check("unknown email takes as long as a wrong password (no account enumeration by timing)",
          t_unknown >= 0.5 * t_known,
          f"wrong password {t_known * 1000:.1f} ms, unknown email {t_unknown * 1000:.1f} ms")
    r = c.login("nobody@northwind.example", "wrong password")
    check("5th failed login still 401", r.status == 401, r)
    r = c.login(COORDINATOR)
    retry = r.header("Retry-After") or ""
    check("6th login from the address -> 429 with Retry-After", is_problem(r, 429)
          and retry.isdigit() and int(retry) > 0, r)


# ---- limits over the socket -----------------------------------------------------------------

def check_limits(check, server):
    port = server.port
    head = (b"POST /api/v1/programs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 20000000\r\n\r\n")
    data, _ = raw_exchange(port, [head])
    check("Content-Length 20000000 -> 413 before the body is sent", status_of(data) == 413
          and b"application/problem+json" in data, data[:300])

    big = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 40960 + b"\r\n\r\n"
    data, err = raw_exchange(port, [big])
    check("40 KB header -> 431", status_of(data) == 431 and b"application/problem+json" in data,
          f"{data[:300]!r} {err}")

    def chunked():
        yield (b"POST /api/v1/programs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n")
        piece = b"x" * 65536
        for _ in range(9 * 1024 * 1024 // len(piece) + 2):  # just over 9 MiB, above the 8 MiB limit
            yield b"10000\r\n" + piece + b"\r\n"
        yield b"0\r\n\r\n"

    data, err = raw_exchange(port, chunked())
    check("chunked body over the limit -> 413", status_of(data) == 413, f"{data[:300]!r} {err}")

    data, _ = raw_exchange(port, [b"GARBAGE\r\n\r\n"])
    check("malformed request line -> 400", status_of(data) == 400, data[:300])

    # keep-alive: two requests, one connection
    two = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 2
    data, _ = raw_exchange(port, [two + b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                        b"Connection: close\r\n\r\n"])
    check("pipelined keep-alive requests all answered", data.count(b"HTTP/1.1 200") == 3, data[:300])

    # RFC 9110 9.1: a server MUST support HEAD wherever it supports GET.
    r = server.client().request("HEAD", "/api/v1/health")
    check("HEAD on an API GET route -> 200 without a body", r.status == 200 and r.body == b"", r)

    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        body = json.dumps({"email": "x@example.com"}).encode()
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        interim = s.recv(4096)
        s.sendall(body)
        final = s.recv(4096)
    except OSError as e:
        interim, final = b"", repr(e).encode()
    finally:
        s.close()
    check("Expect: 100-continue -> 100, then the answer", status_of(interim) == 100
          and status_of(interim.split(b"\r\n\r\n", 1)[1] or final) == 422, f"{interim[:100]!r} {final[:100]!r}")

    r = server.client().get("/api/v1/health")
    check("server healthy after the refused requests", r.status == 200, r)


# ---- SIGTERM: graceful stop, durable answers --------------------------------------------------

def check_sigterm(check, tandem, tmp):
    db = os.path.join(tmp, "sigterm.db")
    # A large organization so that a matching run is still running when the signal comes.
    server = Server(tandem, db, demo=True, demo_people=12000)
    c = server.client()
    c.login(COORDINATOR)
    acked = []
    for i in range(3):
        r = c.post("/api/v1/programs", {"name": f"durable-{i}", "model": "reverse"})
        if r.status == 201:
            acked.append(r.json()["id"])
    check("programs created before SIGTERM", len(acked) == 3, acked)
    r = c.post(f"/api/v1/programs/{acked[0]}/status", {"status": "enrolling"}) if acked else None
    check("status change before SIGTERM", r is not None and r.status == 200, r)

    r = c.post("/api/v1/programs/1/runs")
    job_id = (r.json() or {}).get("id")
    check("run queued on the large organization", r.status == 202, r)
    deadline = time.monotonic() + 10
    state = None
    while time.monotonic() < deadline:
        state = (c.get(f"/api/v1/jobs/{job_id}").json() or {}).get("state")
        if state != "queued":
            break
        time.sleep(0.05)
    check("job running before SIGTERM", state == "running", state)

    # A request in flight when the signal arrives: its headers and half its body are sent before
    # the signal, the rest after; the server must read it to the end and answer it.
    body = json.dumps({"email": "admin@northwind.example", "password": PASSWORD}).encode()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    answer = b""
    try:
        sock.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
        time.sleep(0.2)
        server.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        sock.sendall(body[10:])
        while True:
            part = sock.recv(65536)
            if not part:
                break
            answer += part
    except OSError as e:
        answer += repr(e).encode()
    finally:
        sock.close()
    code, seconds = server.stop(signal.SIGTERM, timeout=15)
    check("SIGTERM: exit 0 within 5 s", code == 0 and seconds < 5,
          f"exit {code} after {seconds:.2f} s: {server.stderr[-300:]}")
    check("SIGTERM: 'Stopped.' on stderr", "Stopped." in server.stderr, server.stderr[-300:])
    check("request in flight at SIGTERM was answered (and the connection closed)",
          status_of(answer) == 200 and b"tandem_session=" in answer, answer[:300])

    again = Server(tandem, db)
    c2 = again.client()
    c2.cookie, c2.csrf = c.cookie, c.csrf
    r = c2.get("/api/v1/session")
    check("session from before the restart still valid", r.status == 200, r)
    r = c2.get("/api/v1/programs")
    by_id = {p["id"]: p for p in (r.json() or {}).get("items", [])}
    check("programs acknowledged before SIGTERM are there after restart",
          all(i in by_id for i in acked) and [by_id[i]["name"] for i in acked if i in by_id]
          == [f"durable-{i}" for i in range(len(acked))], sorted(by_id))
    check("status change durable", acked and by_id.get(acked[0], {}).get("status") == "enrolling",
          by_id.get(acked[0] if acked else None))
    job = c2.get(f"/api/v1/jobs/{job_id}").json() or {}
    # docs/api.md: "When the server shuts down, a running job ends as cancelled".
    check("job running at SIGTERM ended as cancelled", job.get("state") == "cancelled", job)
    r = c2.get("/api/v1/programs/1/runs")
    check("cancelled job saved no run", r.status == 200 and (r.json() or {}).get("items") == [], r)
    r = c2.post("/api/v1/programs/1/runs")
    check("the run can be started again", r.status == 202, r)
    again.stop()


# ---- kill -9 --------------------------------------------------------------------------------

def check_kill9(check, tandem, tmp):
    db = os.path.join(tmp, "kill9.db")
    # A large organization, so that a matching run is in the middle of its work at the kill.
    server = Server(tandem, db, demo=True, demo_people=12000)
    c = server.client()
    c.login(COORDINATOR)
    r = c.post("/api/v1/programs/1/runs")
    job_id = (r.json() or {}).get("id")
    check("kill -9: run queued", r.status == 202, r)
    acked, refused = [], []
    attempted = []
    stop = threading.Event()

    def writer():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        headers = {"Content-Type": "application/json", "Cookie": "tandem_session=" + c.cookie,
                   "X-CSRF-Token": c.csrf}
        i = 0
        while not stop.is_set():
            name = f"p-{i}"
            attempted.append(name)
            try:
                conn.request("POST", "/api/v1/programs", body=json.dumps({"name": name}), headers=headers)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                break  # the server is gone
            if resp.status == 201:
                acked.append(name)
            else:
                refused.append((name, resp.status))
            i += 1
        conn.close()

    t = threading.Thread(target=writer)
    t.start()
    # Kill as soon as the run is under way and writes are flowing (a fixed wait raced the
    # engine: a faster matching run could be over before it).
    deadline = time.time() + 20
    state = None
    while time.time() < deadline:
        state = (c.get(f"/api/v1/jobs/{job_id}").json() or {}).get("state")
        if state not in ("queued", "running") or (state == "running" and len(acked) >= 20):
            break
        time.sleep(0.02)
    server.stop(signal.SIGKILL)
    stop.set()
    t.join(15)
    check("kill -9: writes were acknowledged", len(acked) >= 20, f"{len(acked)} acknowledged")
    check("kill -9: no write refused before the kill", not refused, refused[:5])
    check("kill -9: the job was running at the kill", state == "running", state)

    again = Server(tandem, db)
    c2 = again.client()
    c2.cookie, c2.csrf = c.cookie, c.csrf
    r = c2.get("/api/v1/programs")
    names = {p["name"] for p in (r.json() or {}).get("items", [])}
    lost = [n for n in acked if n not in names]
    check("kill -9 loses no acknowledged write", r.status == 200 and not lost,
          f"{len(lost)} of {len(acked)} lost, e.g. {lost[:5]}")
    extra = {n for n in names if n.startswith("p-")} - set(acked)
    # At most the request in flight at the kill was written without its answer.
    check("kill -9: nothing written that was not sent", extra <= set(attempted[len(acked):]),
          sorted(extra)[:5])
    r = c2.post("/api/v1/programs", {"name": "after kill"})
    check("database writable after kill -9", r.status == 201, r)

    # The job's process died: it must not stay "running" for ever (the new server should take it
    # over, or end it, within seconds: progress is reported every quarter second, so a claim
    # without progress for a few seconds is a dead one), and a coordinator must be able to
    # cancel it.
    deadline = time.monotonic() + 8
    job = {}
    while time.monotonic() < deadline:
        job = c2.get(f"/api/v1/jobs/{job_id}").json() or {}
        if job.get("state") != "running":
            break
        time.sleep(0.2)
    check("job of a killed process does not stay running", job.get("state") != "running",
          f"after restart + 8 s: {job.get('state')}, {job.get('progress_message')!r}")
    r = c2.post(f"/api/v1/jobs/{job_id}/cancel")
    time.sleep(1.5)
    job = c2.get(f"/api/v1/jobs/{job_id}").json() or {}
    check("job of a killed process can be cancelled", job.get("state") in ("cancelled", "succeeded", "failed"),
          f"cancel -> {r.status}; 1.5 s later: {job.get('state')}, cancel_requested {job.get('cancel_requested')}")
    again.stop()


# ---- two processes over one database -----------------------------------------------------------

def check_two_processes(check, tandem, database, label, sqlite_path=None):
    try:
        a = Server(tandem, database, demo=True)
    except ServerError as e:
        if "no PostgreSQL support" in str(e):
            check.skip(f"{label}: two processes", "this tandem build has no PostgreSQL support")
            return
        raise
    b = Server(tandem, database)  # after A has seeded the demo
    ca, cb = a.client(), b.client()
    r = ca.login(COORDINATOR)
    check(f"{label}: login on A", r.status == 200, r)
    cb.cookie, cb.csrf = ca.cookie, ca.csrf
    r = cb.get("/api/v1/session")
    check(f"{label}: A's session cookie works on B", r.status == 200
          and (r.json() or {}).get("account", {}).get("email") == COORDINATOR, r)
    r = cb.post("/api/v1/programs", {"name": f"made on B {time.time()}"})
    check(f"{label}: A's CSRF token works on B", r.status == 201, r)
    r = cb.request("DELETE", "/api/v1/session")
    check(f"{label}: logout on B", r.status == 204, r)
    r = ca.get("/api/v1/session")
    check(f"{label}: logged out on B -> 401 on A", is_problem(r, 401), r)
    ca.login(COORDINATOR)
    cb.cookie, cb.csrf = ca.cookie, ca.csrf

    # both processes write at once: SQLite's lock (or PostgreSQL) must not turn into errors
    results, lock = [], threading.Lock()
    tag = f"{label}-{int(time.time() * 1000)}"

    def writer(server, k):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {"Content-Type": "application/json", "Cookie": "tandem_session=" + ca.cookie,
                   "X-CSRF-Token": ca.csrf}
        end, i = time.monotonic() + 1.0, 0
        try:
            while time.monotonic() < end:
                name = f"{tag}-{k}-{i}"
                conn.request("POST", "/api/v1/programs", body=json.dumps({"name": name}), headers=headers)
                resp = conn.getresponse()
                text = resp.read()
                with lock:
                    results.append((name, resp.status, text[:200]))
                i += 1
        except (OSError, http.client.HTTPException) as e:
            with lock:
                results.append((None, repr(e), b""))
        finally:
            conn.close()

    threads = [threading.Thread(target=writer, args=(server, k)) for k, server in enumerate([a, b] * 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    failures = [r for r in results if r[1] != 201]
    check(f"{label}: concurrent writes through both processes all succeed", results and not failures,
          f"{len(failures)} of {len(results)} failed, e.g. {failures[:3]}")
    listed = {p["name"] for p in (cb.get("/api/v1/programs").json() or {}).get("items", [])}
    check(f"{label}: every concurrent write is listed",
          all(name in listed for name, status, _ in results if status == 201), len(results))

    programs = (ca.get("/api/v1/programs").json() or {}).get("items", [])
    leadership = next((p for p in programs if p["name"] == "Leadership mentoring 2027"), None)
    if not check(f"{label}: demo program in status matching",
                 leadership is not None and leadership.get("status") == "matching", leadership):
        a.stop()
        b.stop()
        return
    pid = leadership["id"]
    runs_before = {i["id"] for i in (ca.get(f"/api/v1/programs/{pid}/runs").json() or {}).get("items", [])}
    jobs = []
    for k in range(6):
        client = ca if k % 2 == 0 else cb
        r = client.post(f"/api/v1/programs/{pid}/runs")
        if check(f"{label}: run {k} queued via {'AB'[k % 2]}", r.status == 202, r):
            jobs.append(r.json()["id"])
    finished = {}
    for k, job_id in enumerate(jobs):
        finished[job_id] = (cb if k % 2 == 0 else ca).wait_job(job_id, timeout=60)
    states = [j.get("state") for j in finished.values()]
    check(f"{label}: every job succeeded", len(jobs) == 6 and states == ["succeeded"] * 6, states)
    run_ids = [(j.get("result") or {}).get("run_id") for j in finished.values()]
    check(f"{label}: each job saved its own run", len(set(run_ids)) == len(jobs) and None not in run_ids,
          run_ids)
    runs_after = {i["id"] for i in (cb.get(f"/api/v1/programs/{pid}/runs").json() or {}).get("items", [])}
    new_runs = runs_after - runs_before
    # A job run twice would save two runs.
    check(f"{label}: saved runs = jobs (no job ran twice)", new_runs == set(run_ids),
          f"{len(new_runs)} new runs for {len(jobs)} jobs")
    listed = {j["id"]: j for j in (ca.get(f"/api/v1/programs/{pid}/jobs").json() or {}).get("items", [])}
    check(f"{label}: job list agrees", all(listed.get(j, {}).get("state") == "succeeded" for j in jobs),
          {j: listed.get(j, {}).get("state") for j in jobs})

    if sqlite_path:
        # Not in the API: who claimed each job (the worker id is host:pid).
        with sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True) as db:
            claimed = dict(db.execute(
                f"SELECT id, claimed_by FROM jobs WHERE id IN ({','.join('?' * len(jobs))})", jobs).fetchall())
        pids = {str(a.pid): "A", str(b.pid): "B"}
        by = [pids.get(str(v).rsplit(":", 1)[-1], v) for v in claimed.values()]
        check(f"{label}: jobs claimed by the two processes", set(by) == {"A", "B"}, by)

    for name, server in (("A", a), ("B", b)):
        code, seconds = server.stop()
        check(f"{label}: server {name} stops cleanly", code == 0, f"exit {code} after {seconds:.1f} s")


def postgres_url(conninfo):
    """TANDEM_TEST_PG as a postgresql:// URL (`tandem serve --database` takes URLs only; the store
    tests also accept a libpq keyword string such as "host=... port=... dbname=...")."""
    if re.match(r"postgres(ql)?://", conninfo):
        return conninfo
    fields = dict(re.findall(r"(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", conninfo))
    fields = {k: v[1:-1].replace("\\'", "'") if v.startswith("'") else v for k, v in fields.items()}
    quote = urllib.parse.quote
    auth = quote(fields.pop("user", ""), safe="")
    if "password" in fields:
        auth += ":" + quote(fields.pop("password"), safe="")
    host = fields.pop("host", "localhost")
    netloc = (auth + "@" if auth else "") + (f"[{host}]" if ":" in host else host)
    if "port" in fields:
        netloc += ":" + fields.pop("port")
    dbname = quote(fields.pop("dbname", ""), safe="")
    query = urllib.parse.urlencode(fields)
    return f"postgresql://{netloc}/{dbname}" + (f"?{query}" if query else "")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tandem", required=True)
    p.add_argument("-v", "--verbose", action="store_true", help="print every check that passes")
    p.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    a = p.parse_args()
    check = Checks(a.verbose)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    start = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="tandem-server-") as tmp:
            for name, fn in (("flow", lambda: check_flow(check, a.tandem, a.repo, tmp)),
                             ("sigterm", lambda: check_sigterm(check, a.tandem, tmp)),
                             ("kill -9", lambda: check_kill9(check, a.tandem, tmp)),
                             ("two processes (SQLite)",
                              lambda: check_two_processes(check, a.tandem, os.path.join(tmp, "shared.db"),
                                                          "sqlite", os.path.join(tmp, "shared.db")))):
                try:
                    fn()
                except Exception as e:  # noqa: BLE001 - one part failing must not hide the others
                    check(f"{name} ran to its end", False, repr(e))
                finally:
                    _kill_all()
            pg = os.environ.get("TANDEM_TEST_PG")
            if pg:
                try:
                    check_two_processes(check, a.tandem, postgres_url(pg), "postgres")
                except Exception as e:  # noqa: BLE001
                    check("two processes (PostgreSQL) ran to its end", False, repr(e))
                finally:
                    _kill_all()
            else:
                check.skip("two processes over PostgreSQL", "TANDEM_TEST_PG is not set")
    finally:
        _kill_all()
    print(f"({time.monotonic() - start:.1f} s)")
    print(f"{check.passed} passed, {check.failed} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
