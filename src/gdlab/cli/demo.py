"""``gdlab demo``: the whole lesson as one self-contained, bilingual, interactive HTML page."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any


def add_parser(commands: Any) -> None:
    """Declare ``gdlab demo [--out DIR] [--quick] [--only KEYS] [--set S.P=V] [--lang L]``."""
    parser = commands.add_parser(
        "demo",
        help="run the lesson's experiments and write the interactive HTML report",
        description=(
            "Run the lesson's experiments in its outline's order (一、1-4: the formulas, unit "
            "mismatch, affine maps, interpretability, tree models, contours, outliers; 二、1-4: "
            "scaling and speed, learning-rate decay, mini-batches, the combined strategy; then "
            "the appendix: conditioning, the 2 / L limit, iteration counts) on built-in data. "
            "Writes DIR/index.html, one self-contained page in Chinese and English with live "
            "figures (no network needed), prints a summary table and the page's file:// address."
        ),
    )
    parser.add_argument(
        "--out", default="gdlab-report", metavar="DIR", help="output folder (default: gdlab-report)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller budgets (fewer shuffles and bisection steps)"
    )
    parser.add_argument(
        "--only",
        metavar="KEYS",
        help="comma-separated section keys to run, e.g. contours,decay (default: all)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.PARAM=VALUE",
        dest="overrides",
        help="change one parameter of a section, e.g. decay.gamma=0.9 (repeatable)",
    )
    parser.add_argument(
        "--serve",
        metavar="ADDRESS[:PORT]",
        help=(
            "then serve the page on this address of the machine (e.g. 192.168.1.20:8000, or "
            "lan for the address of its network) and print a QR code that phones can scan; "
            "Ctrl-C stops"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help="language the page opens in (default: the browser's language)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the experiments with one progress line per section on stderr, then the summary."""
    from gdlab.cli.inputs import UsageError, check_folder
    from gdlab.report import format_table, summary_table
    from gdlab.report.demo import experiments, parse_overrides, run_demo
    from gdlab.report.serve import open_server, page_address, parse_address

    check_folder(args.out)
    server = None
    try:
        overrides = parse_overrides(args.overrides)
        only = None if args.only is None else [k.strip() for k in args.only.split(",") if k.strip()]
        experiments(args.quick, only, overrides)  # checks the keys before anything runs
        if args.serve is not None:  # listen first: the page shows the address it gets
            server = open_server(args.out, *parse_address(args.serve))
    except ValueError as err:
        raise UsageError(str(err)) from None
    try:
        start = time.perf_counter()
        demo = run_demo(
            args.out,
            quick=args.quick,
            stream=sys.stderr,
            only=only,
            overrides=overrides,
            lang=args.lang or "auto",
            share=None if server is None else page_address(server),
        )
        seconds = time.perf_counter() - start
        print(format_table(summary_table(demo.results), args.lang or "en"))
        assert demo.path is not None
        size = demo.path.stat().st_size / 1e6
        print(f"\nreport written in {seconds:.1f} s ({size:.1f} MB): {demo.path.as_uri()}")
        if server is not None:
            _serve(server)
    finally:
        if server is not None:
            server.server_close()
    return 0


def _serve(server: Any) -> None:
    """Print the address and its QR code, then serve until Ctrl-C."""
    from gdlab.report.serve import page_address, qr_terminal

    url = page_address(server)
    print(f"\nserving the page at {url} (Ctrl-C stops); scan to open it on a phone:")
    print(qr_terminal(url), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped serving")
