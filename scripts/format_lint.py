#!/usr/bin/env python3
"""Checks the Swift a change touches with `swift format lint` and the repository's .swift-format.

Which change: the files that differ from the merge base with `origin/main` when that branch
exists (commits, staged and unstaged edits, and new untracked files: what a branch or a pull
request would bring to main, however far main has moved since); otherwise the files of the last
commit. The second case is a checkout with no remote, such as the shared working tree this
project is developed in: there the last commit is the nearest thing to "the change", and other
people's uncommitted, half-done edits are not judged. On a fresh clone of main (CI), nothing
differs from the merge base, so nothing is checked and the check passes.

Which lines: only findings on lines the change added or modified fail the check. The code that
predates .swift-format has thousands of pretty-printer findings (wrapped arguments aligned under
the parenthesis, lines over 120 columns); failing a one-line fix for the rest of its file would
turn every fix into a reformatting of the whole file, mixed into its history and colliding with
parallel work. A new file is all added lines, so it is checked whole. FORMAT_LINT_WHOLE_FILES=1
checks the touched files whole (to clean one up).

Exit status: 0 when clean (or nothing to check), 1 on findings, 2 when the check cannot run.
"""
import os
import re
import subprocess
import sys

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def git(*args, check=True):
    r = subprocess.run(["git", *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"format lint: git {' '.join(args)} failed: {r.stderr.strip()}")
    return r


def changed_lines(diff_args, path):
    """Line numbers (1-based, in the new file) that the diff adds or modifies."""
    out = git("diff", "-U0", "--no-color", "--no-ext-diff", *diff_args, "--", path).stdout
    lines = set()
    for m in re.finditer(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", out, re.M):
        start, count = int(m.group(1)), int(m.group(2) or "1")
        lines.update(range(start, start + count))
    return lines


def main():
    if git("rev-parse", "--is-inside-work-tree", check=False).returncode != 0:
        print("format lint: not a git checkout; nothing to check")
        return 0
    os.chdir(git("rev-parse", "--show-toplevel").stdout.strip())
    whole = os.environ.get("FORMAT_LINT_WHOLE_FILES") == "1"

    untracked = []
    if git("rev-parse", "--verify", "-q", "origin/main^{commit}", check=False).returncode == 0:
        base = git("merge-base", "HEAD", "origin/main").stdout.strip()
        diff_args = [base]  # the working tree against the merge base
        what = f"changes since the merge base with origin/main ({base[:10]})"
        untracked = git("ls-files", "--others", "--exclude-standard", "--", "*.swift").stdout.split()
    elif git("rev-parse", "--verify", "-q", "HEAD^{commit}", check=False).returncode != 0:
        print("format lint: no commits yet; nothing to check")
        return 0
    else:
        parent = git("rev-parse", "--verify", "-q", "HEAD^", check=False).stdout.strip() or EMPTY_TREE
        diff_args = [parent, "HEAD"]
        what = "the last commit (no origin/main)"

    files = git("diff", "--name-only", "--no-renames", "--diff-filter=AM", *diff_args, "--", "*.swift").stdout.split()
    targets = {}
    for f in files:
        if os.path.isfile(f):
            targets[f] = None if whole else changed_lines(diff_args, f)
    for f in untracked:
        targets[f] = None
    targets = {f: ls for f, ls in targets.items() if ls is None or ls}
    if not targets:
        print(f"format lint: no Swift lines changed in {what}")
        return 0

    config = [] if not os.path.isfile(".swift-format") else ["--configuration", ".swift-format"]
    try:
        r = subprocess.run(["swift", "format", "lint", *config, "--", *sorted(targets)], capture_output=True, text=True)
    except FileNotFoundError:
        print("format lint: `swift` is not on PATH", file=sys.stderr)
        return 2
    findings, other = [], []
    for line in (r.stdout + r.stderr).splitlines():
        m = re.match(r"^(.+?):(\d+):\d+: (?:warning|error): ", line)
        if not m:
            if line.strip():
                other.append(line)
            continue
        path, n = os.path.relpath(m.group(1)), int(m.group(2))
        lines = targets.get(path, targets.get(m.group(1)))
        if lines is None or n in lines:
            findings.append(line)
    if r.returncode != 0 and not findings and other:
        # Not a formatting finding: swift format could not read a file or the configuration.
        print("format lint: swift format failed:\n" + "\n".join(other), file=sys.stderr)
        return 2
    if findings:
        print("\n".join(findings))
        print(f"format lint: {len(findings)} finding(s) in {what}; `swift format -i FILE` fixes most "
              "(then keep only the lines you changed)", file=sys.stderr)
        return 1
    print(f"format lint: {len(targets)} Swift file(s) clean on the lines changed in {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
