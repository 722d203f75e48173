"""mypy over the whole tree, held to a baseline that only shrinks.

``db/`` and ``central/`` are checked strictly (pyproject.toml) and have no baseline: any error
there fails. Everywhere else an error is allowed only while it is listed in ``baseline.txt``,
one line per error as ``path: code: message``. There are no line numbers, so an edit above an
error does not disturb the baseline, and the file is plain sorted text: after files move it is
regenerated with one command. A listed error that no longer occurs also fails, so a fix is
locked in by deleting its line.

    python -m tests.typecheck.mypy_baseline                     # report, as the test does
    python -m tests.typecheck.mypy_baseline --update-baseline   # rewrite baseline.txt

mypy keeps its cache in ``.mypy_cache`` at the repository root (ignored by git, removed by
``make clean``): a fresh clone checks everything once (about 15 s of CPU, 0.6 GB), later
runs only what changed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).with_name("baseline.txt")
BASELINE_NAME = "tests/typecheck/baseline.txt"
STRICT = ("db/", "central/")
UPDATE = "python -m tests.typecheck.mypy_baseline --update-baseline"
HEADER = f"""\
# mypy errors outside db/ and central/ still waiting for a fix: `path: code: message`, sorted.
# tests/typecheck/test_mypy.py fails on an error not listed here and on a line here that no
# longer occurs, so this list only shrinks. Rewrite it with: {UPDATE}
"""

# path:line[:column]: error: message  [code]
_ERROR = re.compile(r"^(?P<path>[^:\n]+?):(?:(?P<line>\d+):)?(?:\d+:)? error: "
                    r"(?P<message>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$")
_LINE_REF = re.compile(r"\bline \d+\b")  # "already defined on line 12" must survive edits too


@dataclass(frozen=True)
class MypyError:
    """One error as mypy printed it (``shown``) and as the baseline names it (``key``)."""

    path: str
    shown: str
    key: str

    @property
    def strict(self) -> bool:
        return self.path.startswith(STRICT)


@dataclass
class Outcome:
    """mypy's errors compared with the baseline."""

    errors: list[MypyError]
    baseline: Counter[str]
    strict: list[MypyError] = field(init=False)
    new: list[MypyError] = field(init=False)
    gone: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.strict = [e for e in self.errors if e.strict]
        found = Counter(e.key for e in self.errors if not e.strict)
        extra = found - self.baseline
        # Where an error occurs more often than listed, every occurrence is shown: which of
        # them is the new one only the developer can tell.
        self.new = [e for e in self.errors if not e.strict and e.key in extra]
        self.gone = sorted((self.baseline - found).elements())

    def strict_message(self) -> str:
        return (f"mypy found {len(self.strict)} error(s) in {' or '.join(STRICT)}, which are "
                f"checked strictly and have no baseline; fix them:\n"
                + "\n".join(f"  {e.shown}" for e in self.strict))

    def new_message(self) -> str:
        return (f"mypy found {len(self.new)} error(s) that {BASELINE_NAME} does not list; "
                f"fix them (the baseline only shrinks):\n"
                + "\n".join(f"  {e.shown}" for e in self.new))

    def gone_message(self) -> str:
        return (f"{len(self.gone)} line(s) of {BASELINE_NAME} no longer occur: well done. "
                f"Remove them so that they cannot come back (or run `{UPDATE}`):\n"
                + "\n".join(f"  {line}" for line in self.gone))


def parse(output: str) -> list[MypyError]:
    """The errors in mypy's output (notes are left out; they explain an error above them)."""
    errors = []
    for raw in output.splitlines():
        line = raw.rstrip()
        match = _ERROR.match(line)
        if match is None:
            continue
        path = match["path"].replace("\\", "/")
        message = _LINE_REF.sub("line N", match["message"])
        errors.append(MypyError(path, path + line[len(match["path"]):],
                                f"{path}: {match['code'] or 'error'}: {message}"))
    return errors


def run_mypy() -> list[MypyError]:
    """Run mypy once over what pyproject.toml names (``[tool.mypy] files``)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-pretty", "--no-error-summary",
         "--show-error-codes", "--no-color-output", "--hide-error-context"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=900)
    if proc.returncode not in (0, 1):  # 2: mypy itself failed (bad configuration, a crash)
        raise RuntimeError(f"mypy exited with {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    errors = parse(proc.stdout)
    if proc.returncode == 1 and not errors:
        raise RuntimeError(f"mypy failed but no error line was recognised:\n{proc.stdout}")
    return errors


def read_baseline(path: Path = BASELINE) -> Counter[str]:
    if not path.exists():
        return Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line.strip() and not line.startswith("#"))


def check() -> Outcome:
    return Outcome(run_mypy(), read_baseline())


def write_baseline(errors: list[MypyError], path: Path = BASELINE) -> None:
    lines = sorted(e.key for e in errors if not e.strict)
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update-baseline", action="store_true",
                        help=f"rewrite {BASELINE_NAME} with the errors found now (outside "
                             f"{' and '.join(STRICT)}, which must be clean)")
    args = parser.parse_args(argv)
    outcome = check()
    if args.update_baseline:
        write_baseline(outcome.errors)
        print(f"{BASELINE_NAME}: {len(outcome.gone)} line(s) removed, {len(outcome.new)} "
              f"added, {sum(not e.strict for e in outcome.errors)} in all")
        if outcome.new:
            print("Added lines are new errors: say in the review why they cannot be fixed now.")
    else:
        for failed, message in ((outcome.new, outcome.new_message),
                                (outcome.gone, outcome.gone_message)):
            if failed:
                print(message(), end="\n\n")
    if outcome.strict:
        print(outcome.strict_message())
    bad = outcome.strict or (not args.update_baseline and (outcome.new or outcome.gone))
    if not bad:
        print(f"mypy: {len(outcome.errors)} error(s), all in the baseline; "
              f"{' and '.join(STRICT)} clean")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
