"""The hubsim command explains itself: a bare `hubsim` prints the help, `--version` answers, defaults are shown."""

from __future__ import annotations

import pytest

import simulator
from scenarios.cli import main


def test_a_bare_hubsim_prints_the_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: hubsim")
    assert all(command in out for command in ("serve", "scenario", "demo", "load"))


def test_version_names_the_release(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"hubsim {simulator.__version__}\n"


@pytest.mark.parametrize(("argv", "shown"), [
    (["serve"], ["(default: 127.0.0.1)", "(default: 8080)", "(default: 8)", "(default: 30.0)"]),
    (["scenario", "generate"], ["(default: the scenario's)", "(default: 0)"]),
    (["load"], ["(default: crm 4, events 20, sync 2, mixed 8)", "(default: 20s)", "(default: crm)"]),
])
def test_help_shows_the_defaults(capsys, argv, shown):
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines at the terminal's width
    assert all(default in out for default in shown), out
    assert "(default: None)" not in out


def test_sync_prints_a_path_with_brackets_as_written(capsys, tmp_path):
    events = tmp_path / "run[bold]1" / "events.jsonl"
    assert main(["sync", "--events", str(events), "--hubspot-url", "http://127.0.0.1:9", "--token", "t"]) == 2
    printed = "".join(capsys.readouterr().err.split())  # rich wraps long paths
    assert f"noeventsfile{events}" in printed  # the [bold] stays: not read as rich markup
