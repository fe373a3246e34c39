"""The site-gen command line: a thin layer over the pipeline stages."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import traceback
from dataclasses import asdict
from pathlib import Path

from site_gen import __version__, write
from site_gen.build import OUTPUT_DIR, build, check_site
from site_gen.problems import Problem, SiteGenError, counted, print_problems
from site_gen.progress import Progress
from site_gen.validate.schema import DATE_RE, EARLIEST_YEAR, LATEST_YEAR, no_such_day


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-gen",
        description="Build a website of meeting minutes (protokoll) and agendas (kallelse) "
                    "from Markdown files with YAML front matter.",
    )
    parser.add_argument("--version", action="version", version=f"site-gen {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show a full traceback when something fails")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build", help="build the site into output/",
        description="Load and check every source, then write the site into output/. "
                    "The previous output/ is replaced only when the whole build succeeds.")
    build_cmd.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                           help="the site folder, holding site.yml and content/ (default: .)")
    build_cmd.add_argument("--output", type=Path, metavar="DIR",
                           help=f"where to write the site (default: DIR/{OUTPUT_DIR})")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build_cmd.add_argument("--strict", action="store_true",
                           help="treat warnings as errors: publish nothing if there are any")
    build_cmd.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                           help="show a full traceback when something fails")

    check_cmd = commands.add_parser(
        "check", help="check every source for mistakes, without building",
        description="Run every rule (front matter, § numbering, people, justering and "
                    "anslag dates, personnummer, references, attachments) and list the "
                    "problems per file. Exit status 1 when there are errors (or, with "
                    "--strict, warnings). docs/checks.md lists the rules.")
    check_cmd.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                           help="the site folder, holding site.yml and content/ (default: .)")
    check_cmd.add_argument("--format", choices=("text", "json"), default="text",
                           help="text for people (default), json for editors and CI")
    check_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_cmd.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                           help="show a full traceback when something fails")

    serve_cmd = commands.add_parser(
        "serve", help="build, serve the site locally and rebuild when files change",
        description="Build the site, serve it at http://HOST:PORT/ and watch content, "
                    "templates, static files and site.yml. Each burst of saves gives one "
                    "rebuild and the open browser reloads itself. While a source is broken "
                    "the last good site stays up, with the errors shown over it.")
    serve_cmd.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                           help="the site folder (default: .)")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: %(default)s, this computer only)")

    def port_number(text: str) -> int:
        # Checked here: the socket library takes 99999 for 99999 - 65536, and 0 for a
        # port of its choice, while serve would announce the number as given.
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535):
            raise argparse.ArgumentTypeError(f"'{text}' is not a port: give a whole number from 1 to 65535")
        return int(text)

    serve_cmd.add_argument("--port", type=port_number, default=8000, metavar="PORT",
                           help="port, 1-65535 (default: %(default)s)")

    init_cmd = commands.add_parser(
        "init", help="create a new site with one example meeting",
        description="Create DIR with site.yml, content/ holding one example protokoll, and "
                    "empty templates/ and static/ folders. The new site builds as it is.")
    init_cmd.add_argument("folder", type=_folder_name, metavar="DIR", help="the folder to create")
    init_cmd.add_argument("--organisation", default="Mitt förbund",
                          help="the public body's name (default: %(default)s)")

    new_cmd = commands.add_parser(
        "new", help="write a ready-to-fill protokoll or kallelse",
        description="Write content/ORGAN/DATE-KIND.md: § numbers continue after the organ's "
                    "last meeting of the year, members and roles come from its previous "
                    "meeting, the standard opening paragraphs are in place, and a protokoll "
                    "for a day with a kallelse takes over its agenda items.")
    new_cmd.add_argument("kind", choices=("protokoll", "kallelse"), help="which document to write")
    new_cmd.add_argument("--organ", required=True, metavar="NAME",
                         help="the organ's folder name as in site.yml, e.g. styrelsen")
    new_cmd.add_argument("--date", type=_date, default=None, metavar="YYYY-MM-DD",
                         help="the meeting date (default: today)")
    new_cmd.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                         help="the site folder (default: .)")
    return parser


def _date(text: str) -> dt.date:
    match = DATE_RE.fullmatch(text)
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD")
    year, month, number = (int(part) for part in match.groups())
    try:
        day = dt.date(year, month, number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a real date "
                                         f"({no_such_day(year, month, number)})") from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise argparse.ArgumentTypeError(f"'{text}' is outside the years site-gen can date appeal "
                                         f"times in ({EARLIEST_YEAR}–{LATEST_YEAR})")
    return day


def _folder_name(text: str) -> Path:
    """A folder named on the command line; '' (a script's unset variable) is none, where
    Path('') would be the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the folder's name is empty "
                                         "(to make the current folder a site, write '.')")
    return Path(text)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return _run(args)
    except SiteGenError as exc:
        print_problems(exc.problems)
        if args.debug:
            traceback.print_exc()
        errors = sum(1 for p in exc.problems if p.severity == "error")
        suffix = f" ({counted(errors, 'error')})" if errors else ""
        print(f"site-gen: {exc}{suffix}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away, as in 'site-gen check | head -1'
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so that nothing more fails
        return 1
    except KeyboardInterrupt as exc:
        if write.published:
            print(f"site-gen: interrupted after the new site was published in {write.published[-1]}",
                  file=sys.stderr)
        else:
            print("site-gen: interrupted; output/ was left as it was", file=sys.stderr)
        return exc.code if isinstance(exc, Stopped) else 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a bare traceback
        if args.debug:
            raise
        print(f"site-gen: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in site-gen. Run again with --debug to see the details.",
              file=sys.stderr)
        return 3


def _run(args) -> int:
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        from site_gen.server import DevServer

        DevServer(args.site, args.host, args.port).run()
        return 0
    if args.command in ("init", "new"):
        from site_gen import scaffold  # imported here: a build without changes must not pay for Jinja
    if args.command == "init":
        example = scaffold.init_site(args.folder, organisation=args.organisation)
        edit = (f"Edit {example.relative_to(args.folder)} and site.yml to make it yours." if example
                else "content/ has documents already, so no example was written: "
                     "list their organs in site.yml.")
        print(f"Created a site in {args.folder}. Next:\n"
              f"  cd {args.folder}\n"
              f"  site-gen serve        # preview at http://127.0.0.1:8000/\n"
              f"{edit}")
        return 0
    if args.command == "new":
        path = scaffold.new_document(args.site.absolute(), args.kind, args.organ,
                                     args.date or dt.date.today())
        print(f"Wrote {path.relative_to(args.site.absolute())}")
        return 0
    if args.command == "build":
        result = build(args.site, args.output, strict=args.strict, progress=Progress(enabled=not args.quiet))
        print_problems(result.problems.sorted())
        if not args.quiet:
            print(_build_summary(result, args.output or args.site / OUTPUT_DIR), file=sys.stderr)
        return 0
    raise AssertionError(args.command)


def _check(args) -> int:
    problems = check_site(args.site)
    found = problems.sorted()
    if args.format == "json":
        json.dump([asdict(p) for p in found], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_grouped(found)
    failing = problems.errors or (args.strict and problems.warnings)
    return 1 if failing else 0


def print_grouped(problems: list[Problem], stream=sys.stdout) -> None:
    """Problems under their file's name, by line: easy to work through one file at a time."""
    current = None
    for problem in problems:
        if problem.path != current:
            if current is not None:
                print(file=stream)
            print(problem.path, file=stream)
            current = problem.path
        where = f"line {problem.line}" if problem.line else "file"
        if problem.line and problem.column:  # the place YAML, or a character check, pointed at
            where += f", column {problem.column}"
        text = f"  {where}: {problem.severity}: {problem.message}"
        print(f"{text} → {problem.hint}" if problem.hint else text, file=stream)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    if problems:
        print(file=stream)
    print(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
          + (f" in {counted(files, 'file')}" if problems else ""), file=stream)


def _build_summary(result, where: Path) -> str:
    """The last line of a build: what it did, where, and how many warnings it printed."""
    warnings = len(result.problems.warnings)
    above = f" ({counted(warnings, 'warning')} above)" if warnings else ""
    took = f"{result.seconds:.2f} s"
    if result.untouched:
        return f"Up to date: none of the {result.pages} pages in {where} had changed ({took}){above}"
    anew = "" if result.rendered == result.pages else f" ({result.rendered or 'none'} of them anew)"
    return f"Built {result.pages} pages{anew} and copied {result.files} files into {where} in {took}{above}"


class Stopped(KeyboardInterrupt):
    """SIGTERM: handled as Ctrl-C, ending with the status a stopped program gives."""

    code = 128 + signal.SIGTERM


def _interrupt(signum, frame) -> None:
    raise Stopped


def console_main() -> None:
    """The `site-gen` command: main(), then the process ends at once. Python would
    otherwise take the finished build apart object by object before exiting: 0.07 s of
    the 0.95 s a build after one edit takes at 1,000 meetings, 0.15 s of a cold one.
    Nothing is left to do by then but to hand on what is printed: a build's helper
    processes and Pagefind runs have ended and its output is in place, and serve's
    background indexer is a daemon thread, which Python would not wait for either."""
    # Stopped by CI or a service manager as by Ctrl-C: the build cleans up after itself.
    signal.signal(signal.SIGTERM, _interrupt)
    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage tool writes its results at exit
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away, or the stream was closed
            pass
    os._exit(code)


if __name__ == "__main__":
    console_main()
