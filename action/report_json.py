#!/usr/bin/env python3
"""Small helpers of the mcpleak action's bash steps (action/*.sh), standard library only.

  report_json.py split TEXT          words of a command line, NUL-terminated (mcpleak ab's rules)
  report_json.py fields RUN_DIR      outputs of a run folder (A/B root or single run), as
                                     NUL-terminated NAME, VALUE pairs
  report_json.py header RUN_DIR      the step summary's header line (Markdown)
  report_json.py hash DIR            a content hash of the sources a build of DIR depends on
"""

import hashlib
import json
import os
import re
import sys

VERDICT_WORDS = {
    "bounded": "BOUNDED",
    "leaking": "LEAKING",
    "inconclusive": "INCONCLUSIVE",
    "server-failed": "SERVER FAILED",
}


def split_words(text):
    """mcpleak's split_command (harness/cli/cmd_compare.cpp): quotes group, no escapes."""
    out, cur, quote, have = [], "", "", False
    for ch in text.replace("\r", " ").replace("\n", " "):
        if quote:
            if ch == quote:
                quote = ""
            else:
                cur += ch
        elif ch in "'\"":
            quote, have = ch, True
        elif ch in " \t":
            if have or cur:
                out.append(cur)
            cur, have = "", False
        else:
            cur += ch
    if quote:
        raise ValueError("unterminated %s quote in: %s" % (quote, text))
    if have or cur:
        out.append(cur)
    return out


def three_digits(v):
    a = abs(v)
    return ("%.0f" if a >= 100 else "%.1f" if a >= 10 else "%.2f") % v


def format_rate(bytes_per_min):
    """analysis::format_rate: binary units, three significant digits, like summary.md."""
    a = abs(bytes_per_min)
    for unit, size in (("GiB", 1024.0**3), ("MiB", 1024.0**2), ("KiB", 1024.0)):
        if a >= size:
            return "%s %s/min" % (three_digits(bytes_per_min / size), unit)
    return "%s B/min" % three_digits(bytes_per_min)


def load(run_dir):
    with open(os.path.join(run_dir, "report.json"), encoding="utf-8") as f:
        return json.load(f)


def exercised(report):
    ex = report.get("exercise") or {}
    if ex.get("required", True) and not ex.get("exercised", True):
        return "false"
    return "true"


def run_fields(report):
    growth = report.get("growth") or {}
    rate = growth.get("bytes_per_min")
    fitted = growth.get("fitted", rate is not None)
    return {
        "verdict": report.get("verdict", ""),
        "reason": report.get("reason") or "",
        "verdict-line": report.get("verdict_line") or "",
        "growth-bytes-per-min": str(int(round(rate))) if fitted and rate is not None else "",
        "growth": format_rate(rate) if fitted and rate is not None else "n/a",
        "exercised": exercised(report),
        "exercise-reason": (report.get("exercise") or {}).get("reason") or "",
    }


def comparison(root):
    """First line of compare.md, which `mcpleak ab` writes: '**candidate grows …: worse**'."""
    path = os.path.join(root, "compare.md")
    if not os.path.isfile(path):
        return "", ""
    with open(path, encoding="utf-8") as f:
        line = f.readline().strip()
    line = line[2:-2] if line.startswith("**") and line.endswith("**") else line
    m = re.search(r": (fixed|same|worse|better|server-failed|not-exercised)(?: \(.*\))?$", line)
    return line, m.group(1) if m else ""


def is_ab(root):
    return os.path.isfile(os.path.join(root, "candidate", "report.json"))


def fields(root):
    if is_ab(root):
        out = run_fields(load(os.path.join(root, "candidate")))
        base_dir = os.path.join(root, "base")
        base = load(base_dir) if os.path.isfile(os.path.join(base_dir, "report.json")) else {}
        base_fields = run_fields(base) if base else {}
        out["baseline-verdict"] = base_fields.get("verdict", "")
        out["baseline-growth"] = base_fields.get("growth", "")
        out["baseline-exercised"] = base_fields.get("exercised", "")
        out["baseline-exercise-reason"] = base_fields.get("exercise-reason", "")
        out["comparison"], out["comparison-outcome"] = comparison(root)
    else:
        out = run_fields(load(root))
    return out


def server_text(report):
    server = report.get("server") or {}
    cmd = server.get("command") or []
    text = " ".join(cmd) if isinstance(cmd, list) else str(cmd)
    if not text:
        text = server.get("url") or server.get("name") or "?"
    return text


def code(text):
    """Inline Markdown code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    return "%s %s %s" % (fence, text, fence) if fence == "``" else "`%s`" % text


def header(root):
    if is_ab(root):
        cand = load(os.path.join(root, "candidate"))
        f = fields(root)
        word = VERDICT_WORDS.get(f["verdict"], f["verdict"].upper())
        if f["exercised"] == "false":
            word += " (not exercised)"
        base_dir = os.path.join(root, "base")
        base_server = server_text(load(base_dir)) if os.path.isfile(
            os.path.join(base_dir, "report.json")) else "?"
        return "### mcpleak A/B: candidate **%s**, %s, %s (baseline %s: %s)" % (
            word, f["growth"], code(server_text(cand)), f["baseline-verdict"] or "?",
            code(base_server))
    report = load(root)
    f = run_fields(report)
    word = VERDICT_WORDS.get(f["verdict"], f["verdict"].upper())
    if f["exercised"] == "false":
        word += " (not exercised)"
    return "### mcpleak: **%s**, %s, %s" % (word, f["growth"], code(server_text(report)))


def source_hash(root):
    """sha256 over the files a build reads (paths and contents), in a stable order."""
    h = hashlib.sha256()
    parts = ["CMakeLists.txt", "harness", "probes", "reports", "reference", "scenarios",
             "packaging"]
    files = []
    for part in parts:
        path = os.path.join(root, part)
        if os.path.isfile(path):
            files.append(part)
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames.sort()
            for name in sorted(filenames):
                files.append(os.path.relpath(os.path.join(dirpath, name), root))
    for rel in sorted(files):
        h.update(rel.encode() + b"\0")
        with open(os.path.join(root, rel), "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def emit_pairs(pairs):
    out = sys.stdout.buffer
    for name, value in pairs.items():
        out.write(name.encode() + b"\0" + str(value).encode() + b"\0")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    cmd, arg = argv[1], argv[2]
    try:
        if cmd == "split":
            out = sys.stdout.buffer
            for word in split_words(arg):
                out.write(word.encode() + b"\0")
        elif cmd == "fields":
            emit_pairs(fields(arg))
        elif cmd == "header":
            print(header(arg))
        elif cmd == "hash":
            print(source_hash(arg))
        else:
            sys.stderr.write(__doc__)
            return 2
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write("report_json.py %s: %s\n" % (cmd, e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
