"""The `review` command line: each command parses, calls the core, and writes the result."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from review import __version__
from review.errors import ReviewError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review")
def cli() -> None:
    """Align, score, review and export English–Chinese translations."""


# Commands are added below, one function each (~25 lines: parse, call the core, write).


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; turn ReviewErrors into a one-line message on stderr and exit code 1."""
    try:
        cli.main(args=argv, prog_name="review", standalone_mode=False)
    except ReviewError as error:
        click.echo(f"review: error: {error.message}", err=True)
        if error.hint:
            click.echo(f"review: hint: {error.hint}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("review: aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    sys.exit(0)
