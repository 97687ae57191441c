from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crossbrief import __version__
from crossbrief.cli import EXIT_FAILED, cli, example_path, write_atomic
from crossbrief.store import Library

from .conftest import FIXTURES, ROOT

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGE = FIXTURES / "pages" / "council-vote.html"


def run(*args: str, input: bytes | str | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_version_and_help() -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout
    for command in ([], ["analyze"], ["demo"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_analyze_seed_corpus_as_json(seed_dir: Path) -> None:
    result = run("analyze", str(seed_dir), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["articles"]) == 5 and data["skipped"] == []
    texts = "\n".join(a["text"] for a in data["articles"])
    for gone in ("Related stories", "Please enter your comment!", "Vladimir+Putin",
                 "For corrections please email", "HomeWorld"):
        assert gone not in texts
    removed = [r["reason"] for a in data["articles"] for r in a["removed"]]
    assert "comment form" in removed and "related-stories block" in removed
    for article in data["articles"]:
        for start, end, _ in article["sentences"]:
            assert article["text"][start:end].strip()


@pytest.mark.parametrize("fmt,marker", [("md", "# crossbrief: 1 article"),
                                        ("term", "The Eastbay Ledger")])
def test_people_formats(fmt: str, marker: str) -> None:
    result = run("analyze", str(PAGE), "-f", fmt, "--width", "120")
    assert result.exit_code == 0 and marker in result.stdout


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "brief.json"
    result = run("analyze", str(PAGE), "-f", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text("utf-8"))["articles"][0]["source"] == "The Eastbay Ledger"
    assert [p.name for p in out.parent.iterdir()] == ["brief.json"]  # no temporary left over


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_output_file_gets_the_usual_mode(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        write_atomic(tmp_path / "new.md", "text")
        write_atomic(tmp_path / "new.md", "again")  # replaced: the same mode
        result = run("analyze", str(PAGE), "-f", "md", "-o", str(tmp_path / "brief.md"))
    finally:
        os.umask(previous)
    assert result.exit_code == 0
    for name in ("new.md", "brief.md"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask, name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "new.md"]


ARTICLE = ("---\ntitle: Bridge closed after cracks found\nsource: Harbour Times\n---\n"
           "The city council voted on Monday to close the harbour bridge after engineers "
           "found cracks in two of its supports, officials said.\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_output_into_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    # `-o /dev/null`, `-o /dev/stdout`, a pipe: the temporary file renamed over it put a
    # plain file in the device's place (as root, /dev/null itself), and the reader got nothing.
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so the writer's open does not wait
    try:
        result = run("stories", str(tmp_path / "a.txt"), "-f", "json", "-o", str(fifo))
        data = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(data)["stories"][0]["title"] == "Bridge closed after cracks found"


def test_output_through_a_link_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "real.json").write_text("old", "utf-8")
    (tmp_path / "link.json").symlink_to("real.json")
    result = run("stories", str(tmp_path / "a.txt"), "-f", "json", "-o",
                 str(tmp_path / "link.json"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "real.json").read_text("utf-8"))["stories"]


def test_output_that_cannot_be_written_is_an_error_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "file").write_text("a file, not a folder", "utf-8")
    for command in ("stories", "analyze"):
        result = run(command, str(tmp_path / "a.txt"), "-o", str(tmp_path / "file" / "x.md"))
        assert result.exit_code == 1, result.stderr
        assert result.stderr == (f"crossbrief: error: [E600] cannot write "
                                 f"{tmp_path / 'file' / 'x.md'}: file is not a folder\n")
        assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "file"]


def test_an_empty_output_path_is_an_error_before_any_work(tmp_path: Path) -> None:
    # `-o ''` (a script's unset variable: -o "$OUT") wrote the output to stdout, as if -o
    # had not been given.
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    for command in (["analyze", str(tmp_path / "a.txt")], ["stories", str(tmp_path / "a.txt")],
                    ["demo"]):
        result = run(*command, "-f", "json", "-o", "")
        assert result.exit_code == 1, result.stderr
        assert result.stderr == ("crossbrief: error: [E600] cannot write '': an empty path "
                                 "names no file (leave -o out to write to standard output)\n")
        assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_output_over_a_writable_file_in_a_folder_that_is_not_is_an_error_before_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check asked only whether the file could be written; the temporary file beside it
    # (then renamed over it) needs the folder writable, so the run failed after the work.
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "out.md").write_text("old", "utf-8")
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if Path(str(path)) == folder and mode & os.W_OK:
            return False  # as for a user without the right (the tests may run as root)
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    result = run("stories", str(tmp_path / "a.txt"), "-o", str(folder / "out.md"))
    assert result.exit_code == 1
    assert result.stderr == (f"crossbrief: error: [E600] cannot write {folder / 'out.md'}: "
                             "permission denied (the folder is not writable)\n")
    assert (folder / "out.md").read_text("utf-8") == "old"


def test_output_failing_while_written_is_an_error_and_leaves_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A full disk, a folder that goes away: found only when writing, after the work.
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    real_replace = os.replace

    def full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = run("stories", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out.md"))
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.exit_code == 1
    assert result.stderr.endswith("crossbrief: error: [E600] cannot write "
                                  f"{tmp_path / 'out.md'}: No space left on device\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary left


def test_names_in_reports_never_show_the_folders_above(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "work" / "articles").mkdir(parents=True)
    page = tmp_path / "work" / "articles" / "council.html"
    page.write_bytes(PAGE.read_bytes())
    monkeypatch.chdir(tmp_path / "work")
    for fmt in ("html", "md", "json", "term"):
        result = run("analyze", str(page), str(tmp_path / "gone.txt"), "-f", fmt)
        assert result.exit_code == 2, result.stderr
        assert "gone.txt" in result.stdout
        assert fmt == "term" or "articles/council.html" in result.stdout  # term names none
        assert str(tmp_path) not in result.stdout + result.stderr, fmt


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="file names there are Unicode, never bytes")
def test_a_file_name_or_word_that_is_not_utf8(tmp_path: Path) -> None:
    # A Latin-1 file name (caf\xe9.txt) or argument reaches Python as lone surrogates: the
    # JSON on stdout was not UTF-8, and `ingest --db`, `-f html -o`, `search`, `--story`
    # crashed with UnicodeEncodeError. Each byte that is not UTF-8 is now written \\xe9 in
    # names, and the file is still read; a word that is no path (a query, a story's name)
    # holding one is refused, one line (E105, exit code 1), as the library refuses it.
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(ARTICLE, "utf-8")
    (tmp_path / os.fsdecode(b"vide\xe9.txt")).write_bytes(b"")
    result = run("stories", str(tmp_path), "-f", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout_bytes.decode("utf-8"))
    assert [a["input"] for a in data["stories"][0]["articles"]] == ["caf\\xe9.txt"]
    assert data["stories"][0]["outlets"] == ["Harbour Times"]
    assert [s["input"] for s in data["skipped"]] == ["vide\\xe9.txt"]
    db = str(tmp_path / "library.db")
    assert run("ingest", str(tmp_path / name), "--db", db).exit_code == 0
    word = os.fsdecode(b"bridge\xe9")
    for args in (("search", word), ("story", "rename", word, "x"),
                 ("analyze", str(tmp_path / name), "--story", word, "-f", "md",
                  "-o", str(tmp_path / "out.md"))):
        refused = run(*args, "--db", db)
        assert refused.exit_code == 1 and refused.stdout == "", args
        assert refused.stderr.startswith("crossbrief: error: [E105] ")
        assert refused.stderr.count("\n") == 1 and "U+DCE9, a lone surrogate" in refused.stderr
    result = run("analyze", str(tmp_path / name), "--db", db, "--story", "bridge", "-f", "md",
                 "-o", str(tmp_path / "out.md"))
    assert result.exit_code == 0, result.stderr
    assert "caf\\xe9.txt" in (tmp_path / "out.md").read_text("utf-8")
    listed = run("stories", "--db", db, "--kind", "named", "-f", "json")
    assert [s["name"] for s in json.loads(listed.stdout)["stories"]] == ["bridge"]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="file names there are Unicode, never bytes")
def test_two_files_named_apart_only_by_bytes_not_utf8_keep_their_conflict(
        tmp_path: Path) -> None:
    # r\xe9.txt and r\xe8.txt were both named "r\ufffd.txt": one outlet, and the conflicts
    # between the two (which are between outlets) vanished.
    texts = (
        "A section of the Lindqvist Bridge in Maravel collapsed into the Esterline River on "
        "Tuesday evening.\n\nAbout 60 metres of the central span gave way at around 5.40pm, "
        "officials said.\n\nThe bridge was last inspected in 2021, according to maintenance "
        "records.\n",
        "A section of the Lindqvist Bridge in Maravel collapsed into the Esterline River on "
        "Tuesday evening.\n\nA 40-metre section of the central span fell into the river at "
        "about 5:40 p.m., officials said.\n\nThe bridge was last inspected in March 2023, "
        "according to a report by the Ostrian Roads Authority.\n",
    )
    for raw, text in zip((b"r\xe9.txt", b"r\xe8.txt"), texts, strict=True):
        (tmp_path / os.fsdecode(raw)).write_text(text, "utf-8")
    result = run("analyze", str(tmp_path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert sorted(a["source"] for a in data["articles"]) == ["r\\xe8", "r\\xe9"]
    assert data["conflicts"]


def test_a_model_that_cannot_be_loaded_stops_the_run(tmp_path: Path) -> None:
    # Each article was skipped as "[E302] stage 'segment' failed on this article:
    # ModelLoadError …" (one line per article, the reason cut at 300 characters) where the
    # docs promise one "crossbrief: error: [E400] …" for a missing model.
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(ARTICLE.replace("Monday", f"Monday {name}"), "utf-8")
    result = run("analyze", str(tmp_path), "--spacy-model", "no_such_pipeline", "-f", "json")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("crossbrief: error: [E400] cannot load spaCy pipeline "
                                    "'no_such_pipeline'")
    assert result.stderr.count("\n") == 1


def test_some_inputs_skipped_exits_2_with_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.jsonl").write_text('{"text": "Good line."}\n{oops\n', "utf-8")
    result = run("analyze", str(PAGE), str(tmp_path), "-f", "json")
    assert result.exit_code == 2
    # (other lines may say the page and the good line are not one story)
    lines = [line for line in result.stderr.strip().splitlines()
             if line.startswith("crossbrief: skipped ")]
    assert lines == [  # named without the folder, which is not under the current one
        "crossbrief: skipped bad.jsonl:2: invalid JSON on line 2: "
        "Expecting property name enclosed in double quotes (column 2) [E105]",
        "crossbrief: skipped empty.txt: input is empty [E101]",
    ]
    data = json.loads(result.stdout)
    assert len(data["articles"]) == 2
    assert {s["code"] for s in data["skipped"]} == {"E101", "E105"}


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("analyze", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 2


def test_usage_errors_exit_64() -> None:
    assert run("analyze", str(PAGE), "--format", "pdf").exit_code == 64
    assert run("analyze").exit_code == 64


def test_bad_config_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("unknown_key = 1", "utf-8")
    result = run("analyze", str(PAGE), "--config", str(config))
    assert result.exit_code == 1 and "[E200] unknown setting 'unknown_key'" in result.stderr


def test_stdin() -> None:
    result = run("analyze", "-", "-f", "json", input=PAGE.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["articles"][0]["input"] == "-"


def test_demo_runs_on_the_bundled_example() -> None:
    assert example_path().is_dir()
    result = run("demo", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["articles"]) == len(
        [p for p in example_path().iterdir() if p.suffix in (".html", ".txt")])
    result = run("demo", "--width", "100")
    assert result.exit_code == 0 and "articles" in result.stdout


def test_every_command_and_option_is_documented() -> None:
    doc = (DOCS / "cli.md").read_text("utf-8")
    for name, command in cli.commands.items():
        heading = re.search(rf"^## `crossbrief {name}`\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
        assert heading, f"docs/cli.md has no section for `crossbrief {name}`"
        subcommands = command.commands if isinstance(command, click.Group) else {}
        for sub, each in [(name, command), *((f"{name} {n}", c) for n, c in
                                              subcommands.items())]:
            if sub != name:
                assert f"crossbrief {sub} " in heading.group(1), sub
            for param in each.params:
                if isinstance(param, click.Option):
                    assert any(opt in heading.group(1) for opt in param.opts), (sub, param.opts)


def test_reading_commands_refuse_a_library_that_is_not_there(tmp_path: Path) -> None:
    typo = tmp_path / "libary.db"
    for args in (["search", "bridge"], ["analyze", "--story", "council"]):
        result = run(*args, "--db", str(typo))
        assert result.exit_code == 1, args
        assert result.stderr == f"crossbrief: error: [E505] no library at {typo} (check the " \
            "path; `crossbrief ingest` creates one)\n"
        assert result.stdout == "" and not typo.exists()


def test_writing_commands_create_the_library(tmp_path: Path) -> None:
    db = tmp_path / "new" / "library.db"
    assert run("ingest", str(PAGE), "--db", str(db)).exit_code == 0 and db.is_file()
    other = tmp_path / "other.db"
    result = run("analyze", str(PAGE), "--db", str(other), "--story", "s", "-f", "json")
    assert result.exit_code == 0 and other.is_file()
    assert run("search", "ferry", "--db", str(db)).stdout.startswith(
        json.loads(result.stdout)["articles"][0]["id"])


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
        result = subprocess.run(
            [sys.executable, "-m", "crossbrief", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--db", str(tmp_path / "library.db")],
            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (f"crossbrief: error: [E521] port {port} is in use; choose "
                             "another with --port\n")
    assert not (tmp_path / "library.db").exists()  # nothing was started


def _installed(*args: str | bytes, **environ: str) -> subprocess.CompletedProcess[bytes]:
    """The installed command in a process of its own, its arguments as bytes the system
    hands over (a byte that is not UTF-8 reaches Python as a lone surrogate), with the
    environment variables ``environ`` added."""
    env = {**os.environ, **environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("CROSSBRIEF_DB", None)
    return subprocess.run([sys.executable, "-m", "crossbrief", *args], env=env,
                          capture_output=True, timeout=300)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="arguments there are Unicode, never bytes")
@pytest.mark.parametrize("host", [b"\xff", b"a\xffb.example"])
def test_serve_on_a_host_that_is_no_name_is_one_line(tmp_path: Path, host: bytes) -> None:
    """`serve --host $'\\xff'`: the socket module's "encoding of hostname failed" was a
    traceback."""
    result = _installed("serve", "--host", host, "--port", "0",
                        "--db", str(tmp_path / "library.db"))
    assert result.returncode == EXIT_FAILED, result.stderr
    line = result.stderr.decode("utf-8")
    assert line.startswith("crossbrief: error: [E520] cannot listen on ")
    assert line.count("\n") == 1 and "Traceback" not in line and "\\xff" in line
    assert not (tmp_path / "library.db").exists()


@pytest.mark.parametrize("address", ["foo://bar", "tcp://", "", ":::"])
def test_a_scheduler_address_dask_cannot_read_is_one_line(tmp_path: Path,
                                                           address: str) -> None:
    """`stories --brief --scheduler foo://bar`: Dask's ValueError was a traceback."""
    result = _installed("stories", str(example_path()), "--brief", "--scheduler", address,
                        "-f", "json")
    assert result.returncode == EXIT_FAILED, result.stderr
    line = result.stderr.decode("utf-8")
    assert line.startswith("crossbrief: error: [E200] the scheduler's address is not one "
                           "Dask reads"), line
    assert line.count("\n") == 1 and result.stdout == b""


def test_a_scheduler_nothing_listens_at_is_one_line() -> None:
    """`--scheduler tcp://127.0.0.1:1`, well formed with nothing listening (the commonest
    mistake): Dask's "Timed out trying to connect" was a chained traceback (review R1 2)."""
    result = _installed("stories", str(example_path()), "--brief", "--scheduler",
                        "tcp://127.0.0.1:1", "-f", "json",
                        DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
    assert result.returncode == EXIT_FAILED, result.stderr
    line = result.stderr.decode("utf-8")
    assert line.startswith("crossbrief: error: [E200] cannot reach the scheduler at "
                           "tcp://127.0.0.1:1: "), line
    assert line.count("\n") == 1 and result.stdout == b""


def test_library_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "library.db")
    first = run("ingest", str(example_path()), str(tmp_path / "missing.txt"), "--db", db)
    assert first.exit_code == 2 and "6 added, 0 already present" in first.stdout
    assert "skipped" in first.stderr and "[E108]" in first.stderr
    again = run("ingest", str(example_path()), "--db", db)
    assert again.exit_code == 0 and "0 added, 6 already present" in again.stdout
    found = run("search", 'bridge "AND NEAR(', "--db", db, "--limit", "2")
    assert found.exit_code == 0 and len(found.stdout.splitlines()) <= 2
    assert run("search", "Lindqvist", "--db", db).stdout.count("\t") >= 3
    stored = run("analyze", str(PAGE), "--db", db, "--story", "council", "-f", "json")
    assert stored.exit_code == 0, stored.stderr
    monkeypatch.setenv("CROSSBRIEF_DB", db)  # the default library
    again_json = run("analyze", "--story", "council", "-f", "json")
    assert again_json.exit_code == 0 and json.loads(again_json.stdout) == json.loads(
        stored.stdout)
    assert run("analyze", "--story", "nothing", "--db", db).exit_code == 1
    assert run("analyze", "--db", db).exit_code == 64


def test_a_story_name_it_cannot_take_is_refused_before_anything_is_stored(
        tmp_path: Path) -> None:
    """Review R30: `analyze --db … --story NAME` stored the inputs, then refused a name
    over 200 characters, saying "nothing was stored" over a library holding the article
    and its automatic story. The name is checked first (Library.check_story_name)."""
    db = tmp_path / "library.db"
    for name, code in (("n" * 201, "[E105]"), ("\u0301" * 5, "[E503]")):
        result = run("analyze", str(PAGE), "--db", str(db), "--story", name, "-f", "json")
        assert result.exit_code == 1 and code in result.stderr, result.stderr
        assert result.stdout == ""
        with Library(db) as library:
            assert library.db.execute("select count(*) from articles").fetchone()[0] == 0
            assert library.count_stories() == 0


@pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                    reason="arguments there are Unicode, never bytes")
def test_a_name_with_bytes_that_are_not_utf8_is_never_a_traceback(tmp_path: Path) -> None:
    """Review R30: `story rename --db lib.db STORY $'bad\\xffname'` reached SQLite with a
    lone surrogate: UnicodeEncodeError. It is refused ([E105], one line, exit code 1), as
    the library refuses it: nothing is changed."""
    db = str(tmp_path / "library.db")
    assert run("ingest", str(PAGE), "--db", db).exit_code == 0
    with Library(db) as library:
        story = library.create_story("council", [library.stories()[0].articles[0]]).id
    result = run("story", "rename", story, os.fsdecode(b"bad\xffname"), "--db", db)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == ("crossbrief: error: [E105] 'NAME' holds U+DCFF, a lone "
                             "surrogate, which is not text: send it as UTF-8\n")
    with Library(db) as library:
        assert library.story(story).name == "council"


def test_a_story_of_one_article_is_one_article(tmp_path: Path) -> None:
    """`story rename` printed "1 articles" for a story of one article."""
    db = str(tmp_path / "library.db")
    assert run("ingest", str(PAGE), "--db", db).exit_code == 0
    with Library(db) as library:
        story = library.create_story("council", [library.stories()[0].articles[0]]).id
    result = run("story", "rename", story, "harbour council", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip("\n").split("\t")[1:] == ["harbour council", "1 article"]
