"""The hubsim command explains itself: a bare `hubsim` prints the help, `--version` answers, defaults are shown."""

from __future__ import annotations

import re

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


def every_help() -> dict[str, str]:
    """The --help of every command and subcommand, by its argv."""
    import argparse

    from scenarios.cli import build_parser

    found, parsers = {}, [((), build_parser())]
    while parsers:
        argv, parser = parsers.pop()
        found[" ".join(argv)] = parser.format_help()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers += [((*argv, name), sub) for name, sub in action.choices.items()]
    return found


def test_no_help_says_a_default_twice():
    helps = every_help()
    assert {"demo", "budget", "load", "replay", "scenario generate", "score calibrate"} <= set(helps)
    for argv, text in helps.items():
        for option in re.split(r"\n  (?=-|\w)", text):  # one option's entry, with its wrapped lines
            assert len(re.findall(r"\(default", option)) <= 1, f"hubsim {argv} --help: {' '.join(option.split())}"


def test_a_token_in_the_environment_is_named_in_the_help_never_printed(monkeypatch):
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-secret-token")
    helps = every_help()
    assert not [argv for argv, text in helps.items() if "pat-na1-secret-token" in text]
    assert "$HUBSPOT_ACCESS_TOKEN" in " ".join(helps["budget"].split())
