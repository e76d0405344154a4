"""The command line end to end: formats, stdin, exit status and error messages."""
from __future__ import annotations

import csv
import io
import json
import os

import pytest
from conftest import ROOT, run_cli, run_cli_process

ARTICLE = ("Russian forces shelled the Ukrainian city of Kharkiv on Tuesday, killing three civilians, "
           "regional officials said.\n")


@pytest.mark.slow
def test_jsonl_from_stdin_with_date():
    # a smoke test of the real command: a separate process, `python -m redline`, a stdin pipe
    p = run_cli_process("code", "-", "--date", "2024-03-21", stdin=ARTICLE.encode())
    assert p.returncode == 0, p.stderr.decode()
    events = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert events and events[0]["doc_id"] == "stdin"
    assert any(e["source"] and e["source"]["country"] == "RUS" and e["cameo_root"] in {"18", "19"} for e in events)


@pytest.mark.slow
def test_the_program_ends_at_once_with_everything_written(tmp_path):
    """`redline code` as a program skips the interpreter's teardown (os._exit): the output file
    is complete, stderr says what was skipped, and the status still says so."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "no-text"}\n' + json.dumps({"id": "k", "text": ARTICLE, "date": "2024-03-21"}) + "\n")
    out = tmp_path / "events.jsonl"
    p = run_cli_process("code", str(src), "-o", str(out))
    assert p.returncode == 1
    assert f"{src}:1: field 'text'" in p.stderr.decode()
    assert "skipped 1 input(s)" in p.stderr.decode()
    lines = out.read_text("utf-8").splitlines()
    assert lines and all(json.loads(line)["doc_id"] == "k" for line in lines)
    assert out.read_text("utf-8").endswith("\n")


@pytest.mark.slow
def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path):
    """`redline code ... | head -1`: once the reader has closed the pipe the run stops with status
    0 and no error (as `query` and `export` do), on one process and on a pool of workers."""
    import subprocess
    import sys
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": ARTICLE * 40, "date": "2024-03-21"}) + "\n"
                           for i in range(12)))
    for workers in ("1", "2"):
        p = subprocess.Popen([sys.executable, "-m", "redline", "code", str(src), "-q", "--workers", workers],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert json.loads(p.stdout.readline())["doc_id"] == "d0"
        p.stdout.close()  # the reader goes away with most of the output (far beyond a pipe's buffer) unwritten
        _, error = p.communicate(timeout=300)
        assert p.returncode == 0, error.decode()
        assert b"error" not in error and b"Traceback" not in error


def test_csv_and_table_and_output_file(tmp_path):
    src = tmp_path / "kharkiv.txt"
    src.write_text(ARTICLE)
    p = run_cli("code", str(src), "--date", "2024-03-21")
    assert p.returncode == 0, p.stderr.decode()
    events = [json.loads(line) for line in p.stdout.decode().splitlines()]
    # a careful coder: Russian forces shelled Kharkiv (Ukraine) on Tuesday 2024-03-19
    assert any((e["source"]["country"], e["source"]["sector"], e["cameo_root"], (e["target"] or {}).get("country"),
                e["date"], e["date_precision"], e["modality"]) == ("RUS", "MIL", "19", "UKR", "2024-03-19", "day", "factual")
               for e in events), events
    # CSV: one row per event, in the same order, each column holding its field
    p = run_cli("code", str(src), "--date", "2024-03-21", "--format", "csv")
    assert p.returncode == 0, p.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in events]
    for r, e in zip(rows, events):
        src_, tgt = e["source"] or {}, e["target"] or {}
        assert (r["doc_id"], r["sentence_index"], r["date"], r["date_precision"]) == \
            ("kharkiv", str(e["sentence_index"]), e["date"], e["date_precision"])
        assert (r["source_code"], r["source_country"], r["source_sector"], r["source_text"]) == \
            (src_.get("code") or "", src_.get("country") or "", src_.get("sector") or "", src_.get("text") or "")
        assert (r["target_code"], r["target_country"], r["target_sector"], r["target_text"]) == \
            (tgt.get("code") or "", tgt.get("country") or "", tgt.get("sector") or "", tgt.get("text") or "")
        assert (r["cameo"], r["cameo_name"], r["plover"], r["quad_class"], float(r["goldstein"])) == \
            (e["cameo"], e["cameo_name"], e["plover"] or "", str(e["quad_class"]), e["goldstein"])
        loc = e["location"] or {}
        assert (r["modality"], r["evidence"], r["location_name"], r["location_country"]) == \
            (e["modality"], e["evidence"], loc.get("name") or "", loc.get("country") or "")
        assert (int(r["span_start"]), int(r["span_end"])) == tuple(e["span"])
        assert (json.loads(r["numbers"]) if r["numbers"] else []) == e["numbers"]
    # -o: the same JSON lines in the file, nothing on stdout
    out = tmp_path / "events.jsonl"
    p = run_cli("code", str(src), "--date", "2024-03-21", "-o", str(out))
    assert p.returncode == 0 and p.stdout == b""
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == events
    # table: the document, its event count, and a row per event with its date, source and code
    p = run_cli("code", str(src), "--date", "2024-03-21", "--format", "table")
    assert p.returncode == 0, p.stderr.decode()
    lines = p.stdout.decode().splitlines()
    assert lines[0].split() == ["kharkiv", str(len(events)), "events"]
    rows = [line.split() for line in lines if line.split()[:1] == ["2024-03-19"]]
    assert len(rows) == len(events)
    for r, e in zip(rows, events):
        assert r[1] == e["source"]["code"] and e["cameo"] in r, (r, e)
    # the place column of an event that has one
    p = run_cli("code", "-", "--date", "2024-03-21", "--format", "csv",
                stdin=b"Pakistani police arrested dozens of protesters in Lahore on Monday.")
    located = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert located and all((r["location_name"], r["location_country"]) == ("Lahore", "PAK") for r in located)


def test_bad_inputs_are_reported_and_good_documents_still_coded(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "good", "text": ARTICLE, "date": "2024-03-21"}) + "\n{oops\n"
                      + json.dumps({"id": "bad-date", "text": ARTICLE, "date": "yesterday-ish"}) + "\n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\xff\xfe")
    p = run_cli("code", str(corpus), str(binary))
    err = p.stderr.decode()
    assert p.returncode == 1
    assert f"{corpus}:2: invalid JSON" in err
    assert f"{corpus}:3: field 'date'" in err
    assert f"{binary}: binary data" in err
    assert "skipped 3 input(s)" in err
    events = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert events and {e["doc_id"] for e in events} == {"good"}


def test_bad_options():
    p = run_cli("code", "-", "--date", "21/03/2024", stdin=b"Russia warned France.")
    assert p.returncode == 2 and "cannot read '21/03/2024' as a date" in p.stderr.decode()
    p = run_cli("code", "-", "--format", "xml", stdin=b"Russia warned France.")
    assert p.returncode == 2 and "unknown format 'xml'" in p.stderr.decode()


def test_user_predicate_file(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("cameo,lemma,pos,particle,prep,object,role,note\n186,defenestrate,VERB,,,,,defenestrate = assassinate\n")
    text = b"Russian agents defenestrated a Ukrainian diplomat in Vienna."
    plain = run_cli("code", "-", "--date", "2024-03-21", stdin=text)
    assert plain.returncode == 0 and plain.stdout == b""
    p = run_cli("code", "-", "--date", "2024-03-21", "--predicates", str(rows), stdin=text)
    [event] = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert event["cameo"] == "186" and "defenestrate = assassinate" in event["explanation"]
    bad = tmp_path / "bad.csv"
    bad.write_text("cameo,lemma,pos,particle,prep,object,role,note\n999,x,VERB,,,,,\n")
    p = run_cli("code", "-", "--predicates", str(bad), stdin=text)
    assert p.returncode == 2 and "line 2: field 'cameo'" in p.stderr.decode()


# --- the CLI package imports one way: base <- options, show <- commands <- redline.cli -----------

CLI_DIR = ROOT / "src" / "redline" / "cli"
FOUNDATION = {"base": set(), "options": {"base"}, "show": {"base"}}  # module -> the CLI modules it may import


def _cli_modules() -> list[str]:
    return sorted(p.stem for p in CLI_DIR.glob("*.py") if p.stem != "__init__")


def _cli_imports(module: str) -> set[str]:
    """The redline.cli modules ``module`` imports anywhere in it (at the top or inside a function)."""
    import ast
    found = set()
    for node in ast.walk(ast.parse((CLI_DIR / f"{module}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = "redline.cli" if node.level == 1 else "redline" if node.level == 2 else ""
            name = node.module or ""
            full = f"{base}.{name}".strip(".") if node.level else name
            if full == "redline.cli":  # from . import x / from redline.cli import x
                found |= {a.name if a.name in _cli_modules() else "__init__" for a in node.names}
            elif full.startswith("redline.cli."):
                found.add(full.split(".")[2])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] if a.name.count(".") >= 2 else "__init__"
                      for a in node.names if a.name.startswith("redline.cli")}
    return found


def test_cli_modules_import_one_way():
    """No import circle: the shared modules import no command; a command imports only the shared
    ones (not another command, not the package, which imports every command)."""
    modules = _cli_modules()
    assert {"base", "options", "show", "code", "store", "analytics"} <= set(modules)
    for module in modules:
        allowed = FOUNDATION.get(module, set(FOUNDATION))
        assert _cli_imports(module) <= allowed, f"redline.cli.{module} imports {_cli_imports(module) - allowed}"


@pytest.mark.parametrize("module", _cli_modules())
def test_each_cli_module_imports_alone(module):
    """Each module imported first, in a fresh process, without the package's __init__ (which would
    import every command first): a circle would fail here, and a shared module must not pull in a command."""
    import subprocess
    import sys
    code = ("import sys, types\n"
            "package = types.ModuleType('redline.cli'); package.__path__ = [sys.argv[1]]\n"
            "sys.modules['redline.cli'] = package\n"
            f"import redline.cli.{module}\n"
            "print(' '.join(sorted(m[12:] for m in sys.modules if m.startswith('redline.cli.'))))")
    p = subprocess.run([sys.executable, "-c", code, str(CLI_DIR)], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert p.returncode == 0, p.stderr
    loaded = set(p.stdout.split())
    allowed = {module} | FOUNDATION.get(module, set(FOUNDATION))
    assert module in loaded and loaded <= allowed, f"redline.cli.{module} pulls in {loaded - allowed}"


def test_the_console_entry_point_is_redline_cli_main():
    from importlib.metadata import entry_points

    from redline import cli
    (script,) = entry_points(group="console_scripts", name="redline")
    assert script.value == "redline.cli:main" and script.load() is cli.main
    assert 'redline = "redline.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert {c.name for c in cli.app.registered_commands} >= {"code", "ingest", "query", "export", "trend", "watch"}
