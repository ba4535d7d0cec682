"""The `review` command line: each command parses, calls the core, and writes the result."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import NoReturn, TypeVar

import click

from review import __version__
from review.errors import ReviewError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review")
def cli() -> None:
    """Align, score, review and export English–Chinese translations."""


_T = TypeVar("_T")


def _progress(items: Iterable[_T], total: int, label: str) -> Iterator[_T]:
    """Yield `items` under a progress bar (count, rate, ETA) on stderr, only if it is a terminal.

    Long commands wrap their per-item loops in it; the core takes it as a `progress` callable.
    """
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total, rate="–")
        for item in items:
            yield item
            speed = bar.tasks[0].speed
            bar.update(task, advance=1, rate=f"{speed:,.0f}" if speed else "–")


# Commands are added below, one function each (~25 lines: parse, call the core, write).


_FILE = click.Path(dir_okay=False)
_INPUT = click.Path(exists=True, dir_okay=False)


@cli.command("report")
@click.argument("inputs", nargs=-1, type=_INPUT)
@click.option("--en", type=_INPUT, help="English document of an EN/ZH document pair.")
@click.option("--zh", type=_INPUT, help="Chinese document of an EN/ZH document pair.")
@click.option("--html", "html_out", type=_FILE, help="Write a self-contained HTML report.")
@click.option("--json", "json_out", type=_FILE, help="Write the report as JSON.")
@click.option("--csv", "csv_out", type=_FILE, help="Write one CSV row per pair.")
@click.option("--reference", type=_INPUT, help="A human translation to score the MT against.")
@click.option("--title", default="Translation quality report", show_default=True)
def report_command(
    inputs: tuple[str, ...], en: str | None, zh: str | None, html_out: str | None,
    json_out: str | None, csv_out: str | None, reference: str | None, title: str,
) -> None:
    """Report on SOURCE files or review PROJECTs: volume, divergence, findings, review, effort."""
    from review.report import build_report
    from review.report.inputs import load_inputs, load_reference

    if not inputs and en is None and zh is None:
        raise click.UsageError("give at least one SOURCE or PROJECT, or --en and --zh")
    loaded = load_inputs(inputs, en, zh)
    result = build_report(
        loaded.pairs, states=loaded.states, sources=loaded.sources, title=title,
        scorer_signature=loaded.signature, flag_threshold=loaded.flag_threshold,
        reference=load_reference(reference) if reference else None,
        reference_path=reference or "", progress=_progress,
    )
    from review.report import html, serialize, text

    for out, write in ((html_out, html.write_html), (json_out, serialize.write_json),
                       (csv_out, serialize.write_csv)):
        if out:
            write(result, out)
            click.echo(f"review: wrote {out}", err=True)
    if not (html_out or json_out or csv_out):
        from rich.console import Console

        Console().print(text.render_text(result))


@cli.command("export")
@click.argument("project", type=_INPUT)
@click.option("--tmx", "tmx_out", type=_FILE, required=True, help="Write a TMX 1.4b file.")
@click.option("--status", "statuses", metavar="LIST",
              help="Only these statuses, e.g. accepted,corrected [default: all but rejected].")
@click.option("--include-rejected", is_flag=True, help="Export rejected pairs too.")
@click.option("--zh-lang", default="zh-CN", show_default=True, help="Chinese language tag.")
def export_command(project: str, tmx_out: str, statuses: str | None, include_rejected: bool,
                   zh_lang: str) -> None:  # fmt: skip
    """Export a review PROJECT as TMX: the signed-off Chinese, statuses, MQM tags, comments."""
    from review.export import ExportOptions, export, parse_statuses
    from review.store import ProjectStore

    wanted = parse_statuses(statuses)
    with ProjectStore.open(project, readonly=True) as store:  # works while a review is open
        header = tuple((f"x-review-{key}", value) for key in ("source", "signature")
                       if (value := store.get_meta(key)))  # fmt: skip
        states = store.states()
    options = ExportOptions(wanted, include_rejected, zh_lang, header)
    count = export("tmx", states, tmx_out, options)
    click.echo(f"review: wrote {count} of {len(states)} pairs to {tmx_out}", err=True)


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
