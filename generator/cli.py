"""Command line: argv → exit code.  The only module that prints.

Exit codes (documented in docs/reference/cli.md):
  0  success (warnings may have been printed)
  1  the policies have problems (diagnostics printed, nothing written)
  2  usage error (bad arguments, missing paths, output folders the build does not own)
  3  the build failed outside the policies (dot, mkdocs, search indexer, disk, stdout)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__, pipeline
from generator.diagnostics import Report
from generator.domain.model import KnowledgeBase
from generator.outfile import OutputError, write_output
from generator.pipeline import load_knowledge_base
from generator.publish.mkdocs import configured_folders
from generator.runtime.gc_policy import few_collections
from generator.source.files import DOCUMENT_DIR, REGISTRY_DIR, find_root

EXIT_OK = 0
EXIT_POLICY = 1
EXIT_USAGE = 2
EXIT_BUILD = 3


def _print_report(report: Report, *, quiet: bool = False) -> None:
    for d in report.sorted():
        print(d.format(), file=sys.stderr)
    if not quiet or not report.ok:
        errors, warnings = len(report.errors), len(report.warnings)
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0–65535)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="policykb",
        description="Build the 执法协作知识库 site from structured policy documents.",
    )
    parser.add_argument("--version", action="version", version=f"policykb {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="validate policy files and report every problem")
    check.add_argument("paths", nargs="*", type=Path, default=[Path("policies")],
                       help="policies folder or document files (default: policies)")
    check.add_argument("--format", choices=["text", "json"], default="text",
                       help="diagnostics as text lines or as one JSON document on stdout")

    schema = sub.add_parser("schema", help="print the JSON Schema of a policy document")
    schema.add_argument("--out", type=Path, help="write to this file instead of stdout ('-')")

    export = sub.add_parser("export", help="export the knowledge base as data")
    export.add_argument("--format", choices=["json", "clocks-csv", "duties-csv", "codebook-csv",
                                             "questions-csv", "xlsx"],
                        default="json")
    export.add_argument("--out", type=Path, help="write to this file instead of stdout ('-')")
    export.add_argument("--policies", type=Path, default=Path("policies"))

    build = sub.add_parser("build", help="generate docs/ and build the site into site/")
    build.add_argument("--policies", type=Path, default=Path("policies"))
    build.add_argument("--docs", type=Path, default=None,
                       help="where the generated pages go (default: docs_dir of mkdocs.yml, docs)")
    build.add_argument("--site", type=Path, default=None,
                       help="where the site is built (default: site_dir of mkdocs.yml, site); "
                       "never an existing folder that policykb did not build")
    build.add_argument("--full", action="store_true",
                       help="let mkdocs render every page (no dirty rebuild of changed pages)")
    build.add_argument("--no-cache", action="store_true",
                       help="neither read nor write .policykb-cache/ (implies --full)")

    serve = sub.add_parser("serve", help="build, serve on localhost and rebuild on changes")
    serve.add_argument("--policies", type=Path, default=Path("policies"))
    serve.add_argument("--docs", type=Path, default=None)
    serve.add_argument("--site", type=Path, default=None)
    serve.add_argument("--port", type=_port, default=8000, help="0–65535 (0: any free port)")

    due = sub.add_parser(
        "due", help="compute the due date of a clock or a limit over China's holiday calendar",
        description=(
            "Count a limit from a start over China's holiday calendar (the State Council's "
            "annual notices, through the chinese-calendar package) by the Civil Code's rules: "
            "the day of the trigger is not counted (民法典第二百零一条); working days skip "
            "weekends, statutory holidays and 调休 days off and count make-up working days "
            "(调休上班); hours run through holidays; a calendar-day limit whose last day is a "
            "rest day ends on the next working day (第二百零三条); a day limit ends at 24:00.  "
            "立即, 及时, 定期 and recurrences are shown as what they are, without a date.  "
            "Prints the due date and its working in Chinese; --format json prints "
            "{\"due\", \"limit\", \"working\"}.  Bad input (a limit or date it cannot read, "
            "an unknown clock or variant, a date outside the years the holiday data covers) "
            "prints one line and exits 2."
        ),
    )
    due.add_argument("target", metavar="CLOCK_OR_LIMIT",
                     help="DOCUMENT_ID/CLOCK_ID, or a limit as written: "
                          "3个工作日, 24小时, 5个工作日内")
    due.add_argument("--from", dest="start", required=True, metavar="DATE[THH:MM]",
                     help="when the clock starts (Beijing time); hour limits need the time")
    due.add_argument("--format", choices=["text", "json"], default="text",
                     help="the date and its working in Chinese, or as JSON")
    case = due.add_mutually_exclusive_group()
    case.add_argument("--variant", type=int, metavar="N",
                      help="the clock's variant N (情况紧急 …), "
                           "counted from 0 as in the policy file")
    case.add_argument("--extended", action="store_true",
                      help="the clock's extension cap (延长后最长 …)")
    due.add_argument("--policies", type=Path, default=Path("policies"),
                     help="policies folder, for DOCUMENT_ID/CLOCK_ID (default: policies)")

    reference = sub.add_parser(
        "reference", help="regenerate the developer reference pages (format, CLI) in docs/"
    )
    mode = reference.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite the pages")
    mode.add_argument("--check", action="store_true", help="exit 1 when a page is stale")
    return parser


def _cmd_check(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"policykb check: no such file or folder: {missing[0]}", file=sys.stderr)
        return EXIT_USAGE
    root = find_root(args.paths)
    if root is None:
        print("policykb check: cannot find the policies folder (one holding registries/) "
              f"at or above {args.paths[0]}", file=sys.stderr)
        return EXIT_USAGE
    for path in args.paths:
        if path.is_dir():
            continue
        try:
            parts = Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).parts
        except ValueError:
            parts = ()
        if not (len(parts) == 2 and parts[0] in {DOCUMENT_DIR, REGISTRY_DIR}
                and path.suffix == ".yaml"):
            print(f"policykb check: {path} is not a policy file: only {DOCUMENT_DIR}/*.yaml and "
                  f"{REGISTRY_DIR}/*.yaml in {root} are read", file=sys.stderr)
            return EXIT_USAGE
    started = time.perf_counter()
    only = [p for p in args.paths if os.path.realpath(p) != os.path.realpath(root)]
    kb, report = load_knowledge_base(root, only or None)
    elapsed = time.perf_counter() - started
    if args.format == "json":
        payload = {
            "ok": report.ok,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "diagnostics": [
                {"path": d.location.path, "line": d.location.line, "column": d.location.column,
                 "severity": d.severity.value, "code": d.code, "message": d.message,
                 "hint": d.hint}
                for d in report.sorted()
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK if report.ok else EXIT_POLICY
    _print_report(report, quiet=True)
    if kb is not None:
        facts = sum(len(d.duties) + len(d.clocks) + len(d.quotas)
                    + len(d.procedures) + len(d.citations) for d in kb.documents)
        print(f"ok: {len(kb.documents)} documents, {facts} facts checked, every quote verbatim "
              f"({elapsed:.2f} s)", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_POLICY


def _write(command: str, out: Path | None, data: str | bytes) -> int:
    """Write to ``out`` (stdout when None or ``-``); an exit status, the problem printed."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if out is None or str(out) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        return EXIT_OK
    try:
        write_output(out, raw)
    except OutputError as error:
        print(f"policykb {command}: {error}", file=sys.stderr)
        return EXIT_USAGE if error.usage else EXIT_BUILD
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from generator.source.schema import json_schema

    return _write("schema", args.out,
                  json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


def _cmd_export(args: argparse.Namespace) -> int:
    from generator import export

    if not (args.policies / "registries").is_dir():
        print(f"policykb export: {args.policies} is not a policies folder", file=sys.stderr)
        return EXIT_USAGE
    if args.out is not None and str(args.out) != "-" and args.out.is_dir():
        print(f"policykb export: cannot write {args.out}: it is a folder; name a file",
              file=sys.stderr)
        return EXIT_USAGE
    kb, report = load_knowledge_base(args.policies)
    if kb is None:
        _print_report(report)
        return EXIT_POLICY
    writers: dict[str, Callable[[KnowledgeBase], str | bytes]] = {
        "json": export.export_json,
        "clocks-csv": export.export_clocks_csv,
        "codebook-csv": export.export_matrix_csv,
        "questions-csv": export.export_questions_csv,
        "duties-csv": export.export_duties_csv,
        "xlsx": export.export_xlsx,
    }
    to_stdout = args.out is None or str(args.out) == "-"
    if args.format == "xlsx" and to_stdout and sys.stdout.isatty():
        print("policykb export: refusing to write XLSX to a terminal; use --out", file=sys.stderr)
        return EXIT_USAGE
    return _write("export", args.out, writers[args.format](kb))


def _cmd_build(args: argparse.Namespace) -> int:
    if not (args.policies / "registries").is_dir():
        print(f"policykb build: {args.policies} is not a policies folder", file=sys.stderr)
        return EXIT_USAGE
    docs, site = _output_folders(args)
    result = pipeline.build(args.policies, docs, site,
                            cache_dir=None if args.no_cache else "default",
                            incremental_build=not args.full)
    if result.refused is not None:
        print(f"policykb build: {result.refused}", file=sys.stderr)
        return EXIT_USAGE
    _print_report(result.report, quiet=True)
    if not result.report.ok:
        return EXIT_POLICY if result.policy_problem else EXIT_BUILD
    print(result.summary(), file=sys.stderr)
    return EXIT_OK


def _output_folders(args: argparse.Namespace) -> tuple[Path, Path]:
    """``--docs`` and ``--site``, else what ``mkdocs.yml`` says, else ``docs`` and ``site``."""
    configured_docs, configured_site = configured_folders(Path("mkdocs.yml"))
    return args.docs or configured_docs, args.site or configured_site


def _cmd_serve(args: argparse.Namespace) -> int:
    from generator.publish.serve import serve

    if not (args.policies / "registries").is_dir():
        print(f"policykb serve: {args.policies} is not a policies folder", file=sys.stderr)
        return EXIT_USAGE
    docs, site = _output_folders(args)

    def build() -> list[str] | None:
        result = pipeline.build(args.policies, docs, site)
        if result.refused is not None:
            print(f"policykb serve: {result.refused}", file=sys.stderr)
            return None
        _print_report(result.report, quiet=True)
        print(result.summary() if result.written
              else "build failed; still serving the previous site", file=sys.stderr)
        return [] if result.written else [d.format() for d in result.report.sorted()
                                          if d in result.report.errors] or ["build failed"]

    def ready(url: str) -> None:
        print(f"serving {site} on {url} (Ctrl+C to stop)", file=sys.stderr)

    try:
        served = serve(build, args.policies, docs, site, docs.parent / "mkdocs.yml",
                       port=args.port, on_ready=ready)
    except OSError as error:
        print(f"policykb serve: cannot listen on 127.0.0.1:{args.port}: "
              f"{error.strerror or error}; choose another --port", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if served else EXIT_USAGE


def _cmd_reference(args: argparse.Namespace) -> int:
    from generator.reference_docs import expected_pages

    stale = []
    for path, text in expected_pages(build_parser()).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if args.write and _write("reference", path, text) != EXIT_OK:
                return EXIT_BUILD
    for path in stale:
        print(f"{'rewrote' if args.write else 'stale'}: {path}", file=sys.stderr)
    return EXIT_POLICY if stale and args.check else EXIT_OK


def _cmd_due(args: argparse.Namespace) -> int:
    from generator import deadlines
    from generator.deadlines.clocks import clock_limit
    from generator.deadlines.explain import explain

    heading: list[str] = []
    try:
        start = deadlines.parse_start(args.start)
        if "/" in args.target:
            if not (args.policies / "registries").is_dir():
                print(f"policykb due: {args.policies} is not a policies folder", file=sys.stderr)
                return EXIT_USAGE
            kb, report = load_knowledge_base(args.policies)
            if kb is None:
                _print_report(report)
                return EXIT_POLICY
            picked = clock_limit(kb, args.target, variant=args.variant, extended=args.extended)
            limit, heading = picked.limit, picked.heading()
        elif args.variant is not None or args.extended:
            print("policykb due: --variant and --extended need DOCUMENT_ID/CLOCK_ID, not a limit",
                  file=sys.stderr)
            return EXIT_USAGE
        else:
            limit = deadlines.parse_limit(args.target)
        result = deadlines.due(limit, start)
    except deadlines.DeadlineError as error:
        print(f"policykb due: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(explain(result, heading))
    return EXIT_OK


COMMANDS = {
    "check": _cmd_check,
    "schema": _cmd_schema,
    "export": _cmd_export,
    "build": _cmd_build,
    "serve": _cmd_serve,
    "reference": _cmd_reference,
    "due": _cmd_due,
}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a file name that is not UTF-8 or a terminal that cannot show Chinese must not crash
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        with few_collections():
            status = COMMANDS[args.command](args)
        sys.stdout.flush()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except OSError as error:  # stdout is a full disk (`> /dev/full`) or a broken device
        _silence_stdout()
        what = error.filename or "the output"
        print(f"policykb {args.command}: cannot write {what}: {error.strerror or error}",
              file=sys.stderr)
        return EXIT_BUILD
    return status


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
