"""A whole workshop on a real JupyterHub, as docs/facilitator/*/hub.md describes it.

JupyterHub on 127.0.0.1 with configurable-http-proxy and the local process spawner,
three real Unix users made here (one facilitator, two participants; removed at the
end), homes 0700, an exchange 1777 owned by root, the course's settings installed
with ``python -m course.install --hub`` and ``--facilitator``. The facilitator runs
``sp-facilitator`` as their own user; the participants fetch, submit and fetch
feedback through the HTTP endpoints JupyterLab's Assignments tab calls, through the
hub's proxy with their own tokens. One participant plants a submission under the
other's name. A participant follows the course's nbgitpuller link in headless
Chromium and the course home and a module render with no request to any other host.

Creating users needs root (CI runs as root). Not root: a clear failure under
``CI=true``, a skip elsewhere.

The hub's users need a Python they can read; the development environment's is
built on a Python under ``/root`` (0700), exactly the trap the guide warns about. So
the test makes the hub's environment the guide asks for, quickly: a virtual
environment of the same Python build, hard-linked where every user can read it, that
reuses the development environment's packages (a ``.pth`` file), with a copy of its
``etc/jupyter`` and its ``share/jupyter``. ``python -m course.install --hub`` then
runs in it as the guide says, and the participants' two nbgrader lines go to that
environment's ``etc/jupyter/nbgrader_config.py`` (the guide: ``/etc/jupyter``; both
are read by every user), so the test changes nothing outside its temporary folder.
"""
from __future__ import annotations

import concurrent.futures
import csv
import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from ..browser.conftest import free_port
from ..browser.helpers import CHROMIUM, CHROMIUM_ARGS, is_local

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PROXY = ROOT / "tests" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
ARTIFACTS = ROOT / "tests" / ".artifacts"
BIN = Path(sys.executable).parent
VERSION = f"python{sys.version_info.major}.{sys.version_info.minor}"
ASSIGNMENT = "m1-facts-en"
COURSE_ID = "sp-course"


def _require_root_and_tools():
    problems = []
    if os.geteuid() != 0:
        problems.append("the real-hub test creates Unix users and must run as root (CI does)")
    if not PROXY.exists():
        problems.append(f"configurable-http-proxy missing at {PROXY}: run `make test-env` (npm ci in tests/hub)")
    if not shutil.which("useradd"):
        problems.append("useradd not found")

    if problems:
        if os.environ.get("CI") == "true":
            pytest.fail("; ".join(problems))
        pytest.skip("; ".join(problems))


class Hub:
    """The running hub: its URL, an admin service token and helpers to call it."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def request(self, method: str, path: str, token: str | None = None, data=None, form: dict | None = None,
                raw: bool = False, timeout: float = 300):
        import urllib.request

        body, headers = None, {"Authorization": f"token {token or self.token}"}
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode("utf-8", "replace")
                return response.status, (text if raw else (json.loads(text) if text.strip() else None))
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def start_server(self, user: str, wait: bool = True) -> None:
        if not wait:
            status, answer = self.request("POST", f"/hub/api/users/{user}/server")
            assert status in (201, 202), (status, answer)
            return
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            _, model = self.request("GET", f"/hub/api/users/{user}")
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(1)
        raise AssertionError(f"the server of {user} did not start: {model}")

    def user_token(self, user: str) -> str:
        status, answer = self.request("POST", f"/hub/api/users/{user}/tokens", data={"note": "hub test", "expires_in": 3600})
        assert status == 201, (status, answer)
        return answer["token"]


def readable_python(folder: Path) -> Path:
    """The tests' own Python build, where every user can run it.

    Under ``/root`` (pyenv) it is not: then its installation is hard-linked into
    ``folder`` (seconds; its files are world-readable, only ``/root`` blocks the way),
    or copied where links cannot cross file systems. Such a build finds its
    ``libpython`` by an absolute RUNPATH under ``/root``: ``LIBRARY_PATH_ENV`` then
    points the users' processes at the copy's ``lib``.
    """
    from course.grading.exchange import world_access_problems

    python = Path(sys.base_prefix) / "bin" / VERSION
    if not world_access_problems([python, Path(sys.base_prefix) / "lib" / VERSION]):
        return python
    if subprocess.run(["cp", "-al", sys.base_prefix, str(folder)], capture_output=True).returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["cp", "-a", sys.base_prefix, str(folder)], check=True)
    LIBRARY_PATH_ENV["LD_LIBRARY_PATH"] = str(folder / "lib")
    return folder / "bin" / VERSION


LIBRARY_PATH_ENV: dict[str, str] = {}


def make_hub_environment(target: Path) -> Path:
    """A virtual environment every user can read, sharing the development environment's packages."""
    python = readable_python(target.parent / "python")
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(target)], check=True)
    version = VERSION
    dev_site = Path(sys.prefix) / "lib" / version / "site-packages"
    # addsitedir (not a bare path) so the editable install's own .pth files are read too.
    (target / "lib" / version / "site-packages" / "sp-dev-packages.pth").write_text(
        f"import site; site.addsitedir({str(dev_site)!r})\n", encoding="utf-8")
    (target / "share").symlink_to(Path(sys.prefix) / "share")
    shutil.copytree(Path(sys.prefix) / "etc", target / "etc", dirs_exist_ok=True)
    for script in BIN.iterdir():  # console scripts (jupyter, alembic, sp-facilitator...) on the new Python
        if script.is_file() and not (target / "bin" / script.name).exists():
            head = script.read_bytes()[:200]
            if head.startswith(b"#!") and b"python" in head.split(b"\n", 1)[0]:
                body = script.read_text(encoding="utf-8").split("\n", 1)[1]
                (target / "bin" / script.name).write_text(f"#!{target / 'bin' / 'python'}\n{body}", encoding="utf-8")
                (target / "bin" / script.name).chmod(0o755)
    subprocess.run(["chmod", "-R", "a+rX", str(target)], check=True)
    return target / "bin"


_STARTED = time.monotonic()


def stage(name: str) -> None:
    print(f"[hub] {time.monotonic() - _STARTED:6.1f} s  {name}", flush=True)


def run_as(user: str, args: list[str], env: dict, check: bool = True, cwd: str | None = None):
    """Run a command as ``user`` (their uid, gid, HOME), as a terminal in their JupyterLab would."""
    record = pwd.getpwnam(user)
    environment = dict(env, HOME=record.pw_dir, USER=user, LOGNAME=user)
    done = subprocess.run(args, user=record.pw_uid, group=record.pw_gid, extra_groups=[], env=environment,
                          cwd=cwd or record.pw_dir, capture_output=True, text=True, timeout=600)
    print(f"[hub] $ {' '.join(args[-6:])}\n{done.stdout[-2000:]}{done.stderr[-2000:]}", flush=True)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} as {user} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def python_as(user: str, code: str, env: dict):
    return run_as(user, [str(Path(env["PATH"].split(":")[0]) / "python"), "-c", code], env, check=False)


@pytest.fixture(scope="module")
def workshop():
    _require_root_and_tools()
    tag = secrets.token_hex(2)
    fac, p1, p2 = f"sphub{tag}-fac", f"sphub{tag}-p1", f"sphub{tag}-p2"
    base = Path(tempfile.mkdtemp(prefix="sp-hub-"))
    base.chmod(0o755)
    homes, exchange, state = base / "home", base / "exchange", base / "hub"
    for folder in (homes, state):
        folder.mkdir()
        folder.chmod(0o755)
    state.chmod(0o700)
    created, hub_proc = [], None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        # The guide's set-up: users with private homes; an exchange only an entry's owner may rename in.
        for user in (fac, p1, p2):
            subprocess.run(["useradd", "-m", "-d", str(homes / user), "-s", "/bin/bash", user], check=True)
            created.append(user)
            (homes / user).chmod(0o700)
        subprocess.run(["install", "-d", "-o", "root", "-g", "root", "-m", "1777", str(exchange)], check=True)
        stage("users made")
        # The hub's environment, readable by every user; the course's settings installed into it
        # (`python -m course.install --hub`), and the participants' two nbgrader lines.
        env_bin = make_hub_environment(base / "env")
        subprocess.run([str(env_bin / "python"), "-m", "course.install", "--hub"], check=True, capture_output=True,
                       env=dict(os.environ, **LIBRARY_PATH_ENV))
        (base / "env" / "etc" / "jupyter" / "nbgrader_config.py").write_text(
            f'c.CourseDirectory.course_id = "{COURSE_ID}"\nc.Exchange.root = "{exchange}"\n', encoding="utf-8")
        subprocess.run(["chmod", "-R", "a+rX", str(base / "env" / "etc")], check=True)
        env = {"PATH": f"{env_bin}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "SP_COURSE_LANG": "en",
               **LIBRARY_PATH_ENV}

        stage("environment ready")
        # The facilitator: course folder with the roster (ids = hub user names), formgrader for them only.
        roster = homes / fac / "roster.csv"
        roster.write_text(f"id\n{p1}\n{p2}\n", encoding="utf-8")
        shutil.chown(roster, fac, fac)
        # One assignment is enough here (setup generates every assignment of its --source).
        source = base / "source"
        (source / "solutions").mkdir(parents=True)
        shutil.copy(ROOT / "nbgrader_config.py", source / "nbgrader_config.py")
        shutil.copytree(ROOT / "solutions" / ASSIGNMENT, source / "solutions" / ASSIGNMENT)
        subprocess.run(["chmod", "-R", "a+rX", str(source)], check=True)
        run_as(fac, [str(env_bin / "sp-facilitator"), "setup", "--course", "sp-workshop", "--roster", str(roster),
                     "--source", str(source)], env)
        run_as(fac, [str(env_bin / "python"), "-m", "course.install", "--facilitator", "--course", "sp-workshop"], env)

        stage("facilitator set up")
        # The course content, as a git repository participants pull with nbgitpuller.
        repo = base / "sp-course.git"
        subprocess.run(["git", "clone", "-q", "--bare", "--no-local", str(ROOT), str(repo)], check=True)
        # git refuses a repository another user owns ("dubious ownership"); on a real hub the
        # course is pulled over https, here the participant who follows the link owns the copy.
        subprocess.run(["chown", "-R", f"{p1}:", str(repo)], check=True)
        branch = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--abbrev-ref", "HEAD"], check=True,
                                capture_output=True, text=True).stdout.strip()

        port, token = free_port(), secrets.token_hex(32)
        config = state / "jupyterhub_config.py"
        config.write_text(f"""
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {{{fac!r}, {p1!r}, {p2!r}}}
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{str(env_bin / "jupyterhub-singleuser")!r}]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {{"LANG": "C.UTF-8", **{LIBRARY_PATH_ENV!r}}}
c.JupyterHub.services = [{{"name": "hub-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "hub-test", "services": ["hub-test"],
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"]}}]
""", encoding="utf-8")
        log = (ARTIFACTS / "jupyterhub.log").open("w")
        hub_proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=state,
                                    env=dict(os.environ, **{"PATH": env["PATH"]}), stdout=log, stderr=subprocess.STDOUT)
        hub = Hub(f"http://127.0.0.1:{port}", token)
        deadline = time.monotonic() + 120
        while True:
            try:
                if hub.request("GET", "/hub/api/", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if hub_proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("JupyterHub did not start; see tests/.artifacts/jupyterhub.log")
            time.sleep(0.5)
        for user in (fac, p1, p2):
            hub.start_server(user, wait=False)
        for user in (fac, p1, p2):
            hub.start_server(user)
        stage("servers ready")
        tokens = {user: hub.user_token(user) for user in (fac, p1, p2)}
        yield dict(hub=hub, fac=fac, p1=p1, p2=p2, tokens=tokens, env=env, homes=homes, exchange=exchange,
                   repo=repo, branch=branch, base=base, env_bin=env_bin)
    finally:
        if hub_proc is not None:
            hub_proc.terminate()  # cleanup_servers (the default) stops the users' servers
            try:
                hub_proc.wait(60)
            except subprocess.TimeoutExpired:
                hub_proc.kill()
        _end_user_processes(created)
        for user in created:
            subprocess.run(["userdel", "-r", user], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _end_user_processes(users: list[str]) -> None:
    """Processes left by the users this test made (their servers and kernels), ended by pid."""
    import psutil

    uids = {pwd.getpwnam(u).pw_uid for u in users}
    left = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real in uids]
    for proc in left:
        proc.terminate()
    _, alive = psutil.wait_procs(left, timeout=10)
    for proc in alive:
        proc.kill()


def assignments(hub: Hub, user: str, token: str) -> dict:
    status, answer = hub.request("GET", f"/user/{user}/assignments?course_id={COURSE_ID}", token)
    assert status == 200 and answer["success"], answer
    return {a["assignment_id"]: a for a in answer["value"]}


def action(hub: Hub, user: str, token: str, name: str) -> dict:
    status, answer = hub.request("POST", f"/user/{user}/assignments/{name}", token,
                                 form={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
    assert status == 200, (status, answer)
    assert answer.get("success", True), answer
    return answer


def kernel_rss_mib(user: str) -> float:
    import psutil

    uid = pwd.getpwnam(user).pw_uid
    sizes = [p.memory_info().rss for p in psutil.process_iter(["uids", "cmdline"])
             if p.info["uids"] and p.info["uids"].real == uid and "ipykernel_launcher" in " ".join(p.info["cmdline"] or [])]
    return max(sizes) / 2**20 if sizes else 0.0


def test_workshop_on_a_real_hub(workshop):
    w = workshop
    hub, fac, p1, p2, tokens, env = w["hub"], w["fac"], w["p1"], w["p2"], w["tokens"], w["env"]
    facilitator = [str(w["env_bin"] / "sp-facilitator")]

    # The shared machine is private, and check --hub says so (tests/test_hub_rules.py: it shouts otherwise).
    done = run_as(fac, [*facilitator, "check", "--hub", "--homes", str(w["homes"]), "--course", "sp-workshop"],
                  env, check=False)
    assert "!!" not in done.stdout, done.stdout + done.stderr

    # Participants see no formgrader; the facilitator's finds the course folder by itself.
    assert hub.request("GET", f"/user/{p1}/formgrader", tokens[p1], raw=True)[0] == 404
    status, listing = hub.request("GET", f"/user/{fac}/formgrader/api/assignments", tokens[fac])
    assert status == 200 and ASSIGNMENT in {a["name"] for a in listing}, listing
    for user, hidden in ((p1, True), (fac, False)):
        page = hub.request("GET", f"/user/{user}/lab", tokens[user], raw=True)[1]
        data = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))
        assert ("@jupyter/nbgrader:formgrader" in data.get("disabledExtensions", [])) is hidden, user

    stage("checks done")
    # Release through the exchange: no SP_COURSE_EXCHANGE, no e-mail.
    done = run_as(fac, [*facilitator, "release", "--exchange", ASSIGNMENT, "--course", "sp-workshop"], env)
    assert "Assignments tab" in done.stdout and "e-mail" not in done.stdout.replace("nothing to send by e-mail", "")

    # Participants fetch and submit through the Assignments tab's endpoints; p1 answers, p2 does not.
    answer = json.loads(next((ROOT / "solutions" / ASSIGNMENT).glob("*.ipynb")).read_text(encoding="utf-8"))
    for user in (p1, p2):
        assert assignments(hub, user, tokens[user])[ASSIGNMENT]["status"] == "released"
        action(hub, user, tokens[user], "fetch")
        path = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        status, model = hub.request("GET", f"/user/{user}/api/contents/{path}", tokens[user])
        assert status == 200, model
        if user == p1:
            status, _ = hub.request("PUT", f"/user/{user}/api/contents/{path}", tokens[user],
                                    data={"type": "notebook", "format": "json", "content": answer})
            assert status == 200
        action(hub, user, tokens[user], "submit")
        assert assignments(hub, user, tokens[user])[ASSIGNMENT]["status"] == "submitted"

    stage("submitted")
    # p2 cannot read p1's work, nor list the exchange's submissions, nor hijack the course's folder.
    p1_notebook = w["homes"] / p1 / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    inbound = w["exchange"] / COURSE_ID / "inbound"
    probe = python_as(p2, f"""
import os
for attempt in (lambda: os.listdir({str(w['homes'] / p1)!r}), lambda: open({str(p1_notebook)!r}).read(),
                lambda: os.listdir({str(inbound)!r}),
                lambda: os.rename({str(w['exchange'] / COURSE_ID)!r}, {str(w['exchange'] / 'hijacked')!r})):
    try:
        attempt()
        print("ALLOWED")
    except PermissionError:
        print("denied")
""", env)
    assert probe.stdout.split() == ["denied"] * 4, probe.stdout + probe.stderr
    assert hub.request("GET", f"/user/{p1}/api/contents/{ASSIGNMENT}", tokens[p2], raw=True)[0] in (403, 404)

    # p2 plants a later "submission" in p1's name, straight into the exchange.
    planted = inbound / f"{p1}+{ASSIGNMENT}+2099-01-01 00:00:00.000000 UTC+planted"
    release = w["homes"] / p2 / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    done = python_as(p2, f"""
import os, shutil
os.mkdir({str(planted)!r})
shutil.copy({str(release)!r}, {str(planted / f'{ASSIGNMENT}.ipynb')!r})
""", env)
    assert done.returncode == 0, done.stderr

    # The facilitator collects: the planted one is refused and reported; the real one is collected.
    done = run_as(fac, [*facilitator, "collect", "--exchange", "--assignment", ASSIGNMENT, "--course", "sp-workshop"],
                  env, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "REFUSED" in done.stdout and p2 in done.stdout and "Traceback" not in done.stderr, done.stdout
    assert not planted.exists()
    report = json.loads((w["homes"] / fac / "sp-workshop" / "grading-reports" / f"collect-{ASSIGNMENT}.json")
                        .read_text(encoding="utf-8"))
    assert [(r["claimed"], r["owner"]) for r in report["refused"]] == [(p1, p2)]

    stage("collected")
    run_as(fac, [*facilitator, "autograde", ASSIGNMENT, "--jobs", "1", "--course", "sp-workshop"], env)
    run_as(fac, [*facilitator, "feedback", "--exchange", ASSIGNMENT, "--course", "sp-workshop"], env)
    run_as(fac, [*facilitator, "export", "--course", "sp-workshop", "--output", "grades.csv"], env)
    with (w["homes"] / fac / "grades.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["participant"]: row for row in csv.DictReader(handle)}
    score = {user: float(rows[user]["score"]) for user in (p1, p2)}
    assert score == {p1: 8.0, p2: 0.0}, rows

    stage("graded")
    # Participants fetch their feedback through the Assignments tab; each sees only their own.
    for user, expected in ((p1, "8.0 / 8.0"), (p2, "0.0 / 8.0")):
        answer = action(hub, user, tokens[user], "fetch_feedback")
        pages = list((w["homes"] / user / ASSIGNMENT / "feedback").rglob("*.html"))
        if not pages:
            print("[hub] exchange feedback:", sorted(map(str, (w["exchange"] / COURSE_ID / "feedback").rglob("*"))))
            print("[hub] course feedback:", sorted(map(str, (w["homes"] / fac / "sp-workshop" / "feedback").rglob("*"))))
            print("[hub] autograded:", sorted(map(str, (w["homes"] / fac / "sp-workshop" / "autograded").rglob("*"))))
            print("[hub] answer:", answer)
        assert pages and expected in pages[0].read_text(encoding="utf-8"), user

    print(f"\n[hub] workshop done: grades {score}")


def test_course_link_and_pages_contact_no_outside_host(workshop):
    """The documented nbgitpuller link, followed in Chromium by a participant: course home, then a module."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    w = workshop
    hub, p1 = w["hub"], w["p1"]
    query = urllib.parse.urlencode({"repo": f"file://{w['repo']}", "branch": w["branch"], "targetpath": "sp-course",
                                    "urlpath": "voila/render/sp-course/modules/en/home.ipynb"})
    blocked: list[str] = []

    def browse() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context()
            context.route("**/*", lambda route: route.continue_() if is_local(route.request.url)
                          else (blocked.append(route.request.url), route.abort()))
            page = context.new_page()
            try:
                page.goto(f"{hub.base}/hub/login", timeout=120_000)
                page.fill("input[name=username]", p1)
                page.fill("input[name=password]", "any")
                page.click("input[type=submit], button[type=submit]")
                page.wait_for_url(re.compile(rf".*/user/{re.escape(p1)}/.*"), timeout=180_000)
                page.goto(f"{hub.base}/hub/user-redirect/git-pull?{query}", timeout=180_000)
                page.wait_for_url(re.compile(r".*/voila/render/sp-course/modules/en/home\.ipynb.*"), timeout=180_000)
                page.wait_for_selector(".sp-warning", timeout=180_000)
                assert "The UN Special Procedures" in page.locator("h1").first.inner_text()
                warning = page.locator(".sp-warning").first.inner_text()
                assert "JupyterHub" in warning and "disappear" not in warning, warning
                page.screenshot(path=str(ARTIFACTS / "hub-home.png"), full_page=True)

                stage("home rendered")
                page.goto(f"{hub.base}/user/{p1}/voila/render/sp-course/modules/en/01-what-they-are.ipynb",
                          timeout=180_000)
                page.wait_for_selector("#rendered_cells", state="visible", timeout=180_000)
                page.wait_for_selector(".jupyter-widgets, .js-plotly-plot", state="visible", timeout=180_000)
                rss = kernel_rss_mib(p1)
                print(f"\n[hub] module kernel RSS after rendering module 1 (en): {rss:.0f} MiB")
                assert rss > 0
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "hub-failure.png"), full_page=True)
                raise
            finally:
                context.close()
                browser.close()

    # Playwright's sync API refuses to run where an asyncio loop is running (earlier tests in
    # this worker may leave one, e.g. through nest_asyncio): a thread of its own has none.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(browse).result()
    assert (w["homes"] / p1 / "sp-course" / "data").is_dir() and (w["homes"] / p1 / "sp-course" / "exercises").is_dir()
    assert blocked == []
