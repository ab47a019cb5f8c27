"""Every fenced block in README.md and docs/**/*.md is a test, so the examples run as written.

- ```python blocks run: against a test hubsim where they name the README's address (http://127.0.0.1:8080), with
  `hubspot_sim` bound to a fresh portal (as inside a test asking for the fixture), and every `test_*` function
  they define is called with a fresh portal arranged by its `hubspot` marker.
- ```sh blocks: each command is smoke-tested. `make T` has a target T; `hubsim ...` parses with the real parser,
  and the quick, finite commands (scenario list, show, generate) run for real; `locust ...` runs headless for a few
  seconds against a test hubsim; any other program must exist.
- ```yaml blocks declaring hubsim portals load as a config, and every portal can read what it declares (owners).

A block that cannot run here opts out in its info string and says why: ```python skip=needs-hubspot.
A ```python continues block goes on from the block before it in the same `##` section: it runs after it, in the
namespace it left (one test for the whole run of blocks), so a section can show an example in steps with prose
between them. Blocks added later are picked up without touching this file.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]
HEADING = re.compile(r"^## +(?P<title>.+)$", re.MULTILINE)
FENCE = re.compile(r"^```(?P<lang>[\w-]*)(?P<info>[^\n]*)\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
README_BASE = "http://127.0.0.1:8080"  # the examples' address for a `hubsim serve` with its defaults
README_TOKENS = ("pat-na1-dev", "pat-local-1")  # the examples' tokens: each block gets a fresh portal for them
RUNS_FOR_REAL = {("scenario", "list"), ("scenario", "show"), ("scenario", "generate")}  # seconds, no server
LOCUST_SECONDS = "8s"  # Locust and the locustfile take seconds to start on a busy machine


@dataclass(frozen=True)
class Block:
    document: Path
    line: int  # of the block's first line of code
    lang: str
    options: dict[str, str]
    code: str
    section: str = ""  # the `##` heading above the block

    @property
    def where(self) -> str:
        return f"{os.path.relpath(self.document, ROOT)}:{self.line}"


def blocks(*langs: str) -> list[Any]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text()
        headings = [(heading.start(), heading["title"]) for heading in HEADING.finditer(text)]
        for fence in FENCE.finditer(text):
            if fence["lang"] not in langs:
                continue
            options = dict(option.partition("=")[::2] for option in fence["info"].split())
            section = next((title for start, title in reversed(headings) if start < fence.start()), "")
            block = Block(document, text.count("\n", 0, fence.start("code")) + 1, fence["lang"], options,
                          fence["code"], section)
            skip = [pytest.mark.skip(reason=options["skip"])] if "skip" in options else []
            found.append(pytest.param(block, id=block.where, marks=skip))
    return found


# --- Python -------------------------------------------------------------------------------------------------------


def python_runs() -> list[Any]:
    """One param per run of blocks: a block, and the `continues` blocks after it in its section."""
    runs: list[tuple[list[Block], list[Any]]] = []
    for param in blocks("python", "py"):
        block: Block = param.values[0]
        if "continues" in block.options:
            previous = runs[-1][0][-1] if runs else None
            if previous is None or (previous.document, previous.section) != (block.document, block.section):
                raise pytest.UsageError(f"{block.where}: `continues`, but no python block before it in its section")
            runs[-1][0].append(block)
            runs[-1][1].extend(param.marks)
        else:
            runs.append(([block], list(param.marks)))
    return [pytest.param(run, id=run[0].where, marks=marks) for run, marks in runs]


@pytest.mark.parametrize("run", python_runs())
def test_python_block_runs(run: list[Block], hubspot_sim_server, hubspot_sim, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a block that writes files writes them here
    namespace: dict[str, Any] = {"__name__": "readme_block", "hubspot_sim": hubspot_sim}
    for block in run:
        code = block.code.replace(README_BASE, hubspot_sim_server.base_url)
        for token in README_TOKENS:
            code = code.replace(token, hubspot_sim.token)
        source = "\n" * (block.line - 1) + code
        exec(compile(source, str(block.document), "exec"), namespace)  # tracebacks point into the document
    for name, function in list(namespace.items()):
        if name.startswith("test_") and callable(function):
            run_test_function(function, hubspot_sim_server)


def run_test_function(function, server) -> None:
    """Call a test the block defines as pytest would: `hubspot_sim` is a fresh portal its marker arranged."""
    from simulator.pytest_plugin import MARKER, arrange

    handle = server.portal()
    try:
        for mark in getattr(function, "pytestmark", []):
            if mark.name == MARKER:
                arrange(handle, **mark.kwargs)
        function(hubspot_sim=handle)
    finally:
        handle.close()
        server.hub.drop(handle.token)


# --- shell --------------------------------------------------------------------------------------------------------


def logical_lines(code: str) -> Iterator[tuple[int, str]]:
    """(offset of the first line, the command) with backslash-continued lines joined, as a shell reads them."""
    start, parts = 0, []
    for offset, line in enumerate(code.splitlines()):
        if not parts:
            start = offset
        if line.endswith("\\"):
            parts.append(line[:-1])
            continue
        yield start, " ".join([*parts, line])
        parts = []
    if parts:
        yield start, " ".join(parts)


def shell_commands() -> Iterator[Any]:
    for param in blocks("sh", "bash", "shell", "console"):
        block: Block = param.values[0]
        for offset, line in logical_lines(block.code):
            words = shlex.split(line, comments=True)
            if words:
                yield pytest.param(block, words, id=f"{os.path.relpath(block.document, ROOT)}:{block.line + offset}",
                                   marks=param.marks)


@pytest.mark.parametrize(("block", "words"), list(shell_commands()))
def test_shell_command_is_real(block: Block, words: list[str], tmp_path, hubspot_sim_server):
    env = dict(os.environ)
    while "=" in words[0] and not words[0].startswith("-"):  # leading VAR=value assignments
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    program = Path(words[0]).name
    if program == "make":
        assert all(re.search(rf"^{re.escape(target)}:", MAKEFILE, re.MULTILINE) for target in words[1:]), words
    elif program == "hubsim":
        smoke_hubsim(words[1:], tmp_path)
    elif program == "locust":
        smoke_locust(words[1:], env, hubspot_sim_server.base_url)
    else:
        assert shutil.which(words[0]) or (ROOT / words[0]).exists(), f"{block.where}: no program {words[0]}"


MAKEFILE = (ROOT / "Makefile").read_text()


def smoke_hubsim(argv: list[str], tmp_path: Path) -> None:
    from scenarios.cli import build_parser

    build_parser().parse_args(argv)  # an unknown option or a bad value exits here
    if tuple(argv[:2]) in RUNS_FOR_REAL:
        result = subprocess.run([sys.executable, "-m", "scenarios.cli", *argv], cwd=tmp_path, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr


def smoke_locust(argv: list[str], env: dict[str, str], base_url: str) -> None:
    """Locust in its own process (it monkey-patches the interpreter), headless as documented, for a few seconds."""
    argv = [base_url if word == README_BASE else word for word in argv]
    result = subprocess.run([sys.executable, "-m", "locust", *argv, "--run-time", LOCUST_SECONDS, "--only-summary"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    sent = re.search(r"Aggregated\s+(\d+)", result.stdout + result.stderr)
    assert sent and int(sent.group(1)) > 0, "Locust sent nothing: without --headless it waits for its web UI"


# --- config samples -----------------------------------------------------------------------------------------------


def config_blocks() -> list[Any]:
    return [param for param in blocks("yaml", "yml") if "portals" in (yaml.safe_load(param.values[0].code) or {})]


@pytest.mark.parametrize("block", config_blocks())
def test_a_config_sample_loads_and_its_portals_read_what_they_declare(block: Block):
    from simulator import Hub, create_app
    from simulator.config import HubConfig

    config = HubConfig.model_validate(yaml.safe_load(block.code))
    hub = Hub(config)
    try:
        for portal in config.portals:
            with httpx.Client(transport=httpx.WSGITransport(app=create_app(hub)), base_url="http://hubsim.test",
                              headers={"Authorization": f"Bearer {portal.token}"}) as api:
                owners = api.get("/crm/v3/owners")
                assert owners.status_code == 200, owners.json()["message"]
                if portal.owners is not None:
                    assert [o["id"] for o in owners.json()["results"]] == [o.id for o in portal.owners]
    finally:
        hub.close()


def test_the_documents_have_blocks_of_every_kind():
    """The collection itself works: a regex that found nothing would pass every test above."""
    assert len(blocks("python")) >= 5 and len(list(shell_commands())) >= 8 and config_blocks()


def test_a_block_opts_out_with_its_reason(tmp_path, monkeypatch):
    guide = tmp_path / "guide.md"
    guide.write_text("text\n```python skip=needs-hubspot\nraise SystemExit\n```\n\n```python\nx = 1\n```\n")
    monkeypatch.setattr(sys.modules[__name__], "DOCUMENTS", [guide])
    first, second = blocks("python")
    assert [mark.kwargs for mark in first.marks] == [{"reason": "needs-hubspot"}]
    assert (first.values[0].line, list(second.marks), second.values[0].code) == (3, [], "x = 1\n")


def test_a_continues_block_runs_after_the_block_before_it_in_its_section(tmp_path, monkeypatch):
    guide = tmp_path / "guide.md"
    guide.write_text("## One\n```python\nx = 1\n```\ntext\n```python continues\nassert x == 1\n```\n"
                     "## Two\n```python\ny = 2\n```\n")
    monkeypatch.setattr(sys.modules[__name__], "DOCUMENTS", [guide])
    first, second = python_runs()
    assert [(block.line, block.section) for block in first.values[0]] == [(3, "One"), (7, "One")]
    assert [block.code for block in second.values[0]] == ["y = 2\n"] and first.id.endswith("guide.md:3")


def test_continues_without_a_block_before_it_in_its_section_is_an_error(tmp_path, monkeypatch):
    guide = tmp_path / "guide.md"
    guide.write_text("## One\n```python\nx = 1\n```\n## Two\n```python continues\nassert x == 1\n```\n")
    monkeypatch.setattr(sys.modules[__name__], "DOCUMENTS", [guide])
    with pytest.raises(pytest.UsageError, match="guide.md:7: `continues`"):
        python_runs()


def test_only_what_is_not_here_excuses_a_block():
    """A fragment is made to run (or `continues` its section); a block skips only for a second machine or HubSpot."""
    reasons = {param.values[0].where: param.values[0].options["skip"] for param in blocks("python", "py", "sh")
               if "skip" in param.values[0].options}
    assert all(reason in ("needs-a-second-machine", "needs-hubspot") for reason in reasons.values()), reasons
