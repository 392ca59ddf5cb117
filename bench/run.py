"""``make bench [SCALE=100000]``: Pilotti's benchmarks as ratios, written to docs/benchmarks.md.

Absolute times on a shared two-core machine are noise, so every figure is a ratio of two
things measured side by side in one run: alternately, the same number of times, each side's
median taken.

1. The programme report (JSON, ``manage.py report``'s code path) of the largest programme
   against hand-written SQL computing the same figures (``floor.py``); goal ≤ 1.5×.
2. Growth: the programme page, the funnel page, the roll-call page and the report, for the
   largest programme of a 1 000-participant data set and of a SCALE-participant one; goal ≤ 1.5×.
3. Client-panel answers per second through the real view under gunicorn, loaded by wrk with
   200 connections, against a view inserting one row on the same server; goal ≥ 0.7×, and the
   database must hold exactly as many new answers as wrk counted successes.
4. The PDF report of the largest programme: time and peak memory, in a process of its own.

The data sets are made by ``generate_scale_data`` once and kept: SQLite files under
var/bench/, or, when DATABASE_URL names a PostgreSQL database, a schema per data set in it
(``bench_<participants>_s<seed>``, never the public schema).
"""

# The benchmark runs its own tools (manage.py, wrk, gunicorn, apt-get) with fixed arguments and
# counts rows with constant SQL: no input from users reaches a command or a query.
# ruff: noqa: S603, S607, S608

import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PAGES = ("programme", "funnel", "roll_call", "report")
PAGE_NAMES = {
    "programme": "programme page",
    "funnel": "funnel page",
    "roll_call": "roll-call page",
    "report": "report (JSON)",
}
PARTS = ("report", "growth", "throughput", "pdf")
PORTS = range(8200, 8300)


# --- data sets ----------------------------------------------------------------------------------


@dataclass
class DataSet:
    participants: int
    seed: int
    url: str
    kind: str  # "sqlite" or "postgresql"
    generation: dict[str, Any] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "HTTPS": "off",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "BENCH_SEED": str(self.seed),
            "LOG_LEVEL": "WARNING",
            **extra,
        }


def _manage(data: DataSet, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=data.env(), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _generated_count(data: DataSet, schema: str = "") -> int | None:
    """Participants of the data set's organisation, or None when it is missing or unfinished."""
    query = (
        "SELECT COUNT(*) FROM people_participant p JOIN organisations_organisation o ON o.id = p.organisation_id "
        f"WHERE o.slug = 'skaala-{int(data.seed)}'"
    )
    try:
        if data.kind == "sqlite":
            path = urllib.parse.urlparse(data.url).path
            if not Path(path).exists():
                return None
            with sqlite3.connect(path) as db:
                return int(db.execute(query).fetchone()[0])
        import psycopg

        with psycopg.connect(_pg_conninfo(data.url)) as db:
            db.execute(f'SET search_path TO "{schema}"')
            row = db.execute(query).fetchone()
            return int(row[0]) if row else None
    except (sqlite3.Error, ImportError, OSError) as error:
        print(f"  (no finished data set: {error})", file=sys.stderr)
        return None
    except Exception as error:
        print(f"  (no finished data set: {type(error).__name__})", file=sys.stderr)
        return None


def _pg_conninfo(url: str) -> str:
    parts = urllib.parse.urlparse(url)
    return urllib.parse.urlunparse(parts._replace(query=""))


def prepare(base_url: str, participants: int, seed: int, data_dir: Path) -> DataSet:
    """The data set, generated unless a finished one is there (its generation figures are kept)."""
    if base_url.startswith(("postgres://", "postgresql://")):
        schema = f"bench_{participants}_s{seed}"
        options = urllib.parse.quote(f"-c search_path={schema}")
        separator = "&" if "?" in base_url else "?"
        data = DataSet(participants, seed, f"{base_url}{separator}options={options}", "postgresql")
        marker = data_dir / f"{urllib.parse.urlparse(base_url).path.strip('/')}-{schema}.json"
    else:
        path = data_dir / f"scale-{participants}-s{seed}.sqlite3"
        data = DataSet(participants, seed, f"sqlite:///{path}", "sqlite")
        schema = ""
        marker = path.with_suffix(".json")
    if marker.exists() and _generated_count(data, schema) == participants:
        data.generation = {**json.loads(marker.read_text()), "reused": True}
        print(f"data set {participants}: reused ({marker.name})")
        _manage(data, "migrate", "--noinput", "-v0")  # a kept data set gets the indexes added since
        return data
    print(f"data set {participants}: generating …", flush=True)
    if data.kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(_pg_conninfo(base_url), autocommit=True) as db:
            db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            db.execute(f'CREATE SCHEMA "{schema}"')
    _manage(data, "migrate", "--noinput", "-v0")
    output = _manage(data, "generate_scale_data", "--participants", str(participants), "--seed", str(seed))
    data.generation = _generation_figures(output)
    marker.write_text(json.dumps(data.generation))
    if data.kind == "postgresql":
        _manage(data, "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
    return data


def _generation_figures(output: str) -> dict[str, Any]:
    match = re.search(r"(\d+) rows in ([\d.]+) s .*?, ([\d.]+) s of CPU", output)
    answers = re.search(r"instruments\.Answer\s+(\d+)", output)
    responses = re.search(r"instruments\.Response\s+(\d+)", output)
    if not match:
        return {"output": output[-500:]}
    return {
        "rows": int(match.group(1)),
        "seconds": float(match.group(2)),
        "cpu": float(match.group(3)),
        "answers": int(answers.group(1)) if answers else None,
        "responses": int(responses.group(1)) if responses else None,
    }


# --- workers ----------------------------------------------------------------------------------


class Worker:
    def __init__(self, data: DataSet) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "bench.worker"],
            cwd=ROOT,
            env=data.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, cmd: str, **arguments: Any) -> dict[str, Any]:
        assert self.process.stdin is not None  # noqa: S101 - Popen was given PIPE
        assert self.process.stdout is not None  # noqa: S101
        self.process.stdin.write(json.dumps({"cmd": cmd, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the benchmark worker stopped (exit {self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"benchmark worker: {cmd}: {answer['error']}")
        return answer

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def side_by_side(
    first: tuple[Worker, str, dict[str, Any]], second: tuple[Worker, str, dict[str, Any]], repeat: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Both measurements, alternately, once each to warm up and then ``repeat`` times. A warm-up
    that took over 5 s on both sides counts as a measurement: warm caches matter little then, and
    a national report takes minutes."""
    results: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
    for round_number in range(repeat + 1):
        for side, (worker, cmd, arguments) in enumerate((first, second)):
            results[side].append(worker.ask(cmd, **arguments))
        if round_number == 0 and min(results[0][0]["seconds"], results[1][0]["seconds"]) < 5:
            results[0].clear()
            results[1].clear()
        elif round_number + 1 >= repeat and len(results[0]) >= repeat:
            break
    return results


def median(rows: list[dict[str, Any]], key: str = "seconds") -> float:
    return float(statistics.median(row[key] for row in rows))


# --- throughput ---------------------------------------------------------------------------------

WRK_SCRIPT = """
-- POST the answer for %(window)d seconds, then only GET /healthz until wrk stops, so that no
-- answer is in flight when it does: every insert the server made is one that wrk saw succeed.
-- The rate counts the answers that came back within the window.
local deadline = os.time() + %(window)d
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "%(cookie)s"
local answer = wrk.format("POST", "%(path)s", nil, "%(body)s")
local drain = wrk.format("GET", "/healthz")
ok, in_window, bad = 0, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  if os.time() < deadline then return answer end
  return drain
end
function response(status, headers, body)
  if status == 302 then
    ok = ok + 1
    if os.time() < deadline then in_window = in_window + 1 end
  elseif status ~= 200 then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local o, w, b = 0, 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); w = w + t:get("in_window"); b = b + t:get("bad") end
  io.write(string.format("RESULT ok=%%d window=%%d bad=%%d p50=%%d p99=%%d timeouts=%%d\\n", o, w, b,
    latency:percentile(50), latency:percentile(99), summary.errors.timeout))
end
"""


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit("no free port in 8200–8299")


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url}")


def _csrf(base: str, path: str, cookie_name: str) -> tuple[str, str]:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + path, timeout=30) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    cookie = next((c.value for c in jar if c.name == cookie_name), None)
    if not token or not cookie:
        raise SystemExit(f"no CSRF token on {path}")
    return token.group(1), f"{cookie_name}={cookie}"


def _wrk(base: str, path: str, body: str, cookie: str, seconds: int, clients: int) -> dict[str, Any]:
    drain = 30  # seconds of GETs after the window: longer than any answer takes
    script = WRK_SCRIPT % {"window": seconds, "cookie": cookie, "path": path, "body": body}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        threads = min(2, clients)
        command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds + drain}s", "--timeout", "60s", "-s",
                   handle.name, base]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    match = re.search(r"RESULT ok=(\d+) window=(\d+) bad=(\d+) p50=(\d+) p99=(\d+) timeouts=(\d+)", output)
    if not match:
        raise SystemExit(f"wrk said:\n{output}")
    ok, window, bad, p50, p99, timeouts = (int(g) for g in match.groups())
    return {"ok": ok, "window": window, "bad": bad, "p50_ms": p50 / 1000, "p99_ms": p99 / 1000,
            "timeouts": timeouts, "seconds": seconds}  # fmt: skip


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("installing wrk (Debian) …", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"], check=False)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"], check=True)


def throughput(data: DataSet, worker: Worker, seconds: int, clients: int, workers: int) -> dict[str, Any]:
    """Rounds of wrk against the floor view and the client panel, alternately."""
    ensure_wrk()
    worker.ask("bench_table")
    panel = worker.ask("panel")
    before = worker.ask("count", code=panel["code"])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "pilotti.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--backlog", "2048", "--log-level", "warning", "--preload", "--timeout", "120"],
        cwd=ROOT,
        env=data.env(DJANGO_SETTINGS_MODULE="bench.throughput_settings"),
    )  # fmt: skip
    totals = {"panel": _zero(), "floor": _zero()}
    try:
        _wait_for(f"{base}/healthz", seconds=300)
        panel_path = f"/p/{panel['code']}/"
        token, cookie = _csrf(base, panel_path, "pilotti-csrf")
        bodies = {
            "floor": ("/bench/insert-one/", f"csrfmiddlewaretoken={token}&value=8"),
            "panel": (panel_path, f"csrfmiddlewaretoken={token}&q-rating=8"),
        }
        for _round in range(2):  # two rounds each, alternating: the same machine load for both
            for name in ("floor", "panel"):
                path, body = bodies[name]
                result = _wrk(base, path, body, cookie, max(5, seconds // 2), clients)
                for key in ("ok", "window", "bad", "timeouts", "seconds"):
                    totals[name][key] += result[key]
                totals[name]["p50_ms"].append(result["p50_ms"])
                totals[name]["p99_ms"].append(result["p99_ms"])
    finally:
        server.terminate()
        server.wait(timeout=60)
    after = worker.ask("count", code=panel["code"])
    worker.ask("close_panel", code=panel["code"], before=before["answers"])
    stored = {"panel": after["answers"] - before["answers"], "floor": after["bench_rows"] - before["bench_rows"]}
    for name in totals:
        totals[name]["stored"] = stored[name]
        totals[name]["per_second"] = totals[name]["window"] / totals[name]["seconds"] if totals[name]["seconds"] else 0
    return {"clients": clients, "seconds": seconds, "workers": workers, **totals}


def _zero() -> dict[str, Any]:
    return {"ok": 0, "window": 0, "bad": 0, "timeouts": 0, "seconds": 0, "p50_ms": [], "p99_ms": []}


# --- PDF ------------------------------------------------------------------------------------------


def pdf(data: DataSet, timeout: int) -> dict[str, Any]:
    """The PDF report in a fresh process: its time and its peak resident memory."""
    try:
        output = subprocess.run(
            [PYTHON, "-m", "bench.pdf"],
            cwd=ROOT,
            env=data.env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if output.returncode:
        raise SystemExit(f"PDF benchmark failed:\n{output.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


# --- the machine and the table ----------------------------------------------------------------------


def machine(data: DataSet, worker: Worker) -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        memory = int(next(line for line in handle if line.startswith("MemTotal")).split()[1]) / 1024 / 1024
    return {
        "date": datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{memory:.0f} GiB",
        "python": platform.python_version(),
        "database": worker.ask("database")["version"],
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        .stdout.split("[")[0]
        .strip()
        if shutil.which("wrk")
        else "not installed",
    }


def _goal(ratio: float, goal: float, *, at_most: bool = True) -> str:
    met = ratio <= goal if at_most else ratio >= goal
    sign = "≤" if at_most else "≥"
    return f"met ({sign} {goal}×)" if met else f"**not met** ({sign} {goal}×)"


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    small, large = results["small"], results["large"]
    lines = [
        f"### {results['title']}",
        "",
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, Python {m['python']}, "
        f"{m['database']}; load average {m['load']} at the start (a shared machine: the ratios, not the times, "
        f"are the result). Largest programme: `{large['info']['programme']}`, "
        f"{large['info']['enrolments']} enrolments of {large['info']['participants']} participants.",
        "",
        "| data set | participants | rows | answers | generated in | CPU time |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for data in (small, large):
        g = data["generation"]
        reused = " (kept from an earlier run)" if g.get("reused") else ""
        lines.append(
            f"| {data['participants']:,} | {data['participants']:,} | {g.get('rows', 0):,} | {g.get('answers') or 0:,} "
            f"| {g.get('seconds', 0):.0f} s{reused} | {g.get('cpu', 0):.0f} s |"
        )
    a = results.get("report_vs_sql")
    if a:
        lines += [
            "",
            f"**1. Report cost vs. its floor** (median of {results['repeat']} alternating runs each; "
            f"same figures: {'yes' if not a['problems'] else 'NO — ' + '; '.join(a['problems'])})",
            "",
            "| | report JSON | hand-written SQL | ratio | goal |",
            "|---|---:|---:|---:|---|",
            f"| {large['participants']:,} participants | {a['report']:.3f} s | {a['sql']:.3f} s | "
            f"**{a['ratio']:.2f}×** | {_goal(a['ratio'], 1.5)} |",
            "",
            f"**1b. The same report repeated**, read from the cache under the programme's unchanged data "
            f'version (docs/evaluation.md, "A report remembered"): **{a["repeated"] * 1000:.0f} ms** '
            f"(goal ≤ 50 ms: {'met' if a['repeated'] <= 0.05 else '**not met**'})",
        ]
    if "growth" in results:
        lines += [
            "",
            f"**2. Growth**, {small['participants']:,} → {large['participants']:,} participants (median of "
            f"{results['repeat']} alternating runs; queries per page in brackets)",
            "",
            f"| page | {small['participants']:,} | {large['participants']:,} | ratio | goal |",
            "|---|---:|---:|---:|---|",
        ]
    for name in PAGES if "growth" in results else ():
        g = results["growth"][name]
        lines.append(
            f"| {PAGE_NAMES[name]} | {g['small']:.3f} s ({g['small_queries']}) | {g['large']:.3f} s "
            f"({g['large_queries']}) | **{g['ratio']:.2f}×** | {_goal(g['ratio'], 1.5)} |"
        )
    t = results.get("throughput")
    if t:
        ratio = t["panel"]["per_second"] / t["floor"]["per_second"] if t["floor"]["per_second"] else 0
        lines += [
            "",
            f"**3. Client-panel throughput**: wrk, {t['clients']} connections, {t['seconds']} s per side in two "
            f"alternating rounds (then 30 s of `GET /healthz` each, so that nothing is in flight when wrk stops), "
            f"gunicorn with {t['workers']} sync workers, against the {large['participants']:,} data set",
            "",
            "| view | answers/s | successes | failures | stored in the database | p50 / p99 latency |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, label in (("floor", "insert one row (floor)"), ("panel", "client panel `/p/<code>/`")):
            r = t[name]
            exact = "exactly" if r["stored"] == r["ok"] else f"**{r['stored'] - r['ok']:+d}**"
            lines.append(
                f"| {label} | {r['per_second']:.1f} | {r['ok']:,} | {r['bad']:,} (timeouts {r['timeouts']}) | "
                f"{r['stored']:,} ({exact}) | {max(r['p50_ms']):.0f} / {max(r['p99_ms']):.0f} ms |"
            )
        lines += ["", f"Ratio panel / floor: **{ratio:.2f}×**, {_goal(ratio, 0.7, at_most=False)}."]
    p = results.get("pdf")
    if p:
        lines += [
            "",
            "**4. PDF report** of the largest programme, in a process of its own",
            "",
            "| data set | time | peak memory (RSS) | of which before rendering | PDF size |",
            "|---|---:|---:|---:|---:|",
        ]
        for key in ("small", "large"):
            r = p[key]
            if "timeout" in r:
                lines.append(
                    f"| {results[key]['participants']:,} | **not finished in {r['timeout']} s** (stopped) | | | |"
                )
                continue
            lines.append(
                f"| {results[key]['participants']:,} | {r['seconds']:.1f} s | {r['peak_mib']:.0f} MiB | "
                f"{r['baseline_mib']:.0f} MiB | {r['bytes'] / 1024:.0f} KiB |"
            )
    return "\n".join(lines) + "\n"


def write(out: Path, kind: str, section: str) -> None:
    """Replaces this database's section of the file, keeping the other's and the text around them."""
    start, end = f"<!-- bench:{kind} -->", f"<!-- /bench:{kind} -->"
    text = out.read_text() if out.exists() else ""
    block = f"{start}\n{section}{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    out.write_text(text)


# --- main -------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    base_url = os.environ.get("DATABASE_URL", "")
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    small = prepare(base_url, args.small, args.seed, data_dir)
    large = prepare(base_url, args.scale, args.seed, data_dir)
    kind = large.kind
    _manage(large, "collectstatic", "--noinput", "-v0")  # pages need the static manifest with DEBUG off
    results: dict[str, Any] = {
        "title": "PostgreSQL" if kind == "postgresql" else "SQLite",
        "kind": kind,
        "repeat": args.repeat,
    }
    workers = (Worker(small), Worker(large))
    try:
        results["machine"] = machine(large, workers[1])
        for data, worker, key in ((small, workers[0], "small"), (large, workers[1], "large")):
            results[key] = {
                "participants": data.participants,
                "generation": data.generation,
                "info": worker.ask("info"),
            }
        if "report" in args.only:
            print("1. report vs SQL …", flush=True)
            report, sql = side_by_side((workers[1], "report_json", {}), (workers[1], "report_sql", {}), args.repeat)
            results["report_vs_sql"] = {
                "report": median(report),
                "sql": median(sql),
                "ratio": median(report) / median(sql),
                "problems": workers[1].ask("check")["problems"],
                "repeated": median([workers[1].ask("report_json", cached=True) for _ in range(args.repeat)]),
            }
        if "growth" in args.only:
            print("2. growth …", flush=True)
            results["growth"] = {}
        for name in PAGES if "growth" in args.only else ():
            at_small, at_large = side_by_side(
                (workers[0], "page", {"name": name}), (workers[1], "page", {"name": name}), args.repeat
            )
            results["growth"][name] = {
                "small": median(at_small),
                "large": median(at_large),
                "ratio": median(at_large) / median(at_small),
                "small_queries": at_small[-1]["queries"],
                "large_queries": at_large[-1]["queries"],
            }
        if args.duration and "throughput" in args.only:
            print("3. throughput …", flush=True)
            results["throughput"] = throughput(large, workers[1], args.duration, args.clients, args.workers)
    finally:
        for worker in workers:
            worker.close()
    if not args.skip_pdf and "pdf" in args.only:
        print("4. PDF …", flush=True)
        results["pdf"] = {"small": pdf(small, args.pdf_timeout), "large": pdf(large, args.pdf_timeout)}
    return results


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--scale", type=int, default=100_000, help="participants in the large data set")
    p.add_argument("--small", type=int, default=1_000, help="participants in the small data set (growth)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=5, help="measurements per side (after one warm-up)")
    p.add_argument("--duration", type=int, default=60, help="seconds of load per view; 0 skips throughput")
    p.add_argument("--clients", type=int, default=200, help="concurrent connections of the load tool")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    p.add_argument("--skip-pdf", action="store_true")
    p.add_argument("--pdf-timeout", type=int, default=1800, help="seconds before the PDF measurement is stopped")
    p.add_argument(
        "--only",
        type=lambda value: set(value.split(",")),
        default=set(PARTS),
        help=f"comma-separated parts to measure ({','.join(PARTS)}); a partial run prints its table "
        "and keeps docs/benchmarks.md as it is",
    )
    p.add_argument("--data-dir", default=str(ROOT / "var" / "bench"))
    p.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    started = time.monotonic()
    results = run(args)
    section = markdown(results)
    partial = args.only != set(PARTS)
    if not partial:
        write(Path(args.out), results["kind"], section)
    name = f"results-{results['kind']}{'-partial' if partial else ''}.json"
    (Path(args.data_dir) / name).write_text(json.dumps(results, indent=2, default=str))
    print(section)
    used = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"benchmark done in {time.monotonic() - started:.0f} s (largest child process {used:.0f} MiB)")


if __name__ == "__main__":
    main()
