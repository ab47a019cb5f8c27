"""The hubsim command: serve the simulator, generate scenarios, play the demo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scenarios.budget_cli import add_budget_command
from scenarios.load_cli import add_load_command
from scenarios.scenario_cli import add_scenario_command
from scenarios.sync_cli import add_sync_command


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hubsim", description="A local, offline HubSpot for PLG integrations.")
    commands = parser.add_subparsers(dest="command", required=True)
    add_serve_command(commands)
    add_scenario_command(commands)
    add_demo_command(commands)
    add_load_command(commands)
    add_sync_command(commands)
    add_budget_command(commands)
    args = parser.parse_args(argv)
    return args.run(args) or 0


def add_serve_command(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the simulator behind a production WSGI server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--config", help="YAML file declaring portals (tokens, scopes, tier, time zone)")
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("--state", metavar="DIR", help="keep portals in DIR: loaded at start, saved when changed")
    serve.add_argument("--save-every", type=float, default=30.0, metavar="SECONDS",
                       help="how often changed portals are saved (default 30; always on clean shutdown)")
    serve.add_argument("--admin-token", help="required on /_sim calls (X-HubSim-Admin-Token); needed off loopback")
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from simulator.server import serve_forever

    return serve_forever(
        host=args.host,
        port=args.port,
        config_path=args.config,
        threads=args.threads,
        state_dir=args.state,
        save_every=args.save_every,
        admin_token=args.admin_token,
    )


def add_demo_command(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo", help="start a simulator and play a scripted walkthrough against it")
    demo.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from scenarios.demo import run_demo as play

    return play()


if __name__ == "__main__":
    sys.exit(main())
