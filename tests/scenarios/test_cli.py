"""`hubsim scenario`: list, show, and generate with byte-identical output for a seed."""

from __future__ import annotations

import json

from scenarios.cli import main

FILES = ("events.jsonl", "users.jsonl", "accounts.jsonl", "truth_users.jsonl", "truth_accounts.jsonl",
         "manifest.json")


def generate(out, *extra: str) -> int:
    return main(["scenario", "generate", "plg-default", "--users", "150", "--days", "4", "--seed", "3",
                 "--out", str(out), *extra])


def test_generate_is_byte_identical_for_a_seed(tmp_path):
    assert generate(tmp_path / "a") == 0 == generate(tmp_path / "b")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert generate(tmp_path / "c", "--start", "2026-06-01T00:00:00Z") == 0
    assert (tmp_path / "c" / "events.jsonl").read_bytes() != (tmp_path / "a" / "events.jsonl").read_bytes()


def test_generated_files_agree_with_each_other_and_the_manifest(tmp_path):
    generate(tmp_path)
    read = {name: [json.loads(line) for line in (tmp_path / name).read_text().splitlines()]
            for name in FILES if name.endswith(".jsonl")}
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    events = read["events.jsonl"]
    assert manifest["counts"]["events"] == len(events)
    assert manifest["counts"]["users"] == len(read["users.jsonl"]) == len(read["truth_users.jsonl"])
    assert manifest["counts"]["accounts"] == len(read["accounts.jsonl"]) == len(read["truth_accounts.jsonl"]) == 150
    assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)
    assert set(events[0]) == {"id", "timestamp", "event", "user", "account", "email", "properties"}
    emails = {u["user"]: u["email"] for u in read["users.jsonl"]}
    assert all(emails[e["user"]] == e["email"] for e in events)
    assert manifest["start"] == "2026-03-02T00:00:00.000Z" and manifest["end"] == "2026-03-06T00:00:00.000Z"


def test_list_names_the_catalog(capsys):
    assert main(["scenario", "list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("plg-default", "enterprise-motion", "churn-wave"))


def test_show_prints_the_analytic_funnel(capsys):
    assert main(["scenario", "show", "plg-default"]) == 0
    out = capsys.readouterr().out
    assert "ideal_fit_team*" in out and "all signups" in out and "8.2" in out  # 8.2% of signups buy


def test_an_unknown_scenario_fails_with_the_catalog_named(capsys, tmp_path):
    assert main(["scenario", "generate", "nope", "--out", str(tmp_path)]) == 2
    assert "no scenario 'nope'" in capsys.readouterr().err


def test_show_says_over_what_horizon_its_funnel_holds(capsys):
    assert main(["scenario", "show", "plg-default"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "every journey played to its end" in out
    assert "A 30-day run (the scenario's length) ends while many journeys are still open" in out


def test_show_and_list_print_a_scenarios_own_text_as_written(capsys, tmp_path):
    custom = tmp_path / "custom.yaml"
    custom.write_text("extends: plg-default\ndescription: '[beta] [bold]Self-serve[/bold] trials'\n")
    assert main(["scenario", "show", str(custom)]) == 0
    assert "[beta] [bold]Self-serve[/bold]" in capsys.readouterr().out  # rich markup in a file stays text
