"""The hubsim command: serve the simulator, generate scenarios, play the demo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scenarios.budget_cli import add_budget_command
from scenarios.demo_cli import add_demo_command
from scenarios.load_cli import add_load_command
from scenarios.scenario_cli import add_scenario_command
from scenarios.sync_cli import add_sync_command


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `hubsim` asks what it can do
        parser.print_help()
        return 0
    return args.run(args) or 0


def build_parser() -> argparse.ArgumentParser:
    from simulator import __version__

    parser = Parser(prog="hubsim", description="A local, offline HubSpot for PLG integrations.")
    parser.add_argument("--version", action="version", version=f"hubsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_serve_command(commands)
    add_scenario_command(commands)
    add_demo_command(commands)
    add_load_command(commands)
    add_sync_command(commands)
    add_budget_command(commands)
    return parser


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's default in --help, added here so help texts do not repeat them; no "(default: None)". A help
    text that says its default itself is left alone: it is said once, and a default read from the environment (a
    token in $HUBSPOT_ACCESS_TOKEN) is named, never printed."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None or action.default is False or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """The hubsim parser; its subcommands' parsers are of the same class, so they share the help formatter."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def add_serve_command(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the simulator behind a production WSGI server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (off loopback needs --admin-token)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one")
    serve.add_argument("--config", help="YAML file declaring portals (tokens, scopes, tier, time zone)")
    serve.add_argument("--threads", type=int, default=8, help="worker threads answering requests")
    serve.add_argument("--state", metavar="DIR", help="keep portals in DIR: loaded at start, saved when changed")
    serve.add_argument("--save-every", type=float, default=30.0, metavar="SECONDS",
                       help="how often changed portals are saved (always on clean shutdown)")
    serve.add_argument("--admin-token", help="required on /_sim calls (X-HubSim-Admin-Token); needed off loopback")
    serve.add_argument("--quiet", action="store_true", help="no line per request")
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
        log_requests=not args.quiet,
    )


if __name__ == "__main__":
    sys.exit(main())
