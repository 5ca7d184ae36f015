"""Regenerates the tables of docs/findings.md from src/finding.rs and
src/messages.rs (the text above the first table is kept). A unit test fails
when a code is missing from the document.

    python3 docs/make-findings.py
"""
import re
from pathlib import Path

root = Path(__file__).resolve().parent.parent
codes = (root / "src/finding.rs").read_text(encoding="utf-8")
messages = (root / "src/messages.rs").read_text(encoding="utf-8")
texts = {
    var: (vi, en)
    for var, vi, en in re.findall(
        r'\n        (\w+) => \(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",?\s*\)', messages
    )
}
doc_path = root / "docs/findings.md"
doc = doc_path.read_text(encoding="utf-8")
out = [doc[: doc.index("## The file itself")].rstrip()]
for line in codes[codes.index("codes! {"):].splitlines():
    heading = re.match(r"^    // (.+)$", line)
    if heading:
        out += ["", "## " + heading.group(1).rstrip("."), "",
                "| code | severity | message (English) | message (Vietnamese) |", "|---|---|---|---|"]
        continue
    code = re.match(r'^    (\w+) = "([a-z-]+)", (Error|Warning|Info);', line)
    if code:
        var, name, severity = code.groups()
        vi, en = (t.replace("|", "\\|") for t in texts.get(var, ("?", "?")))
        out.append(f"| `{name}` | {severity.lower()} | {en} | {vi} |")
doc_path.write_text("\n".join(out) + "\n", encoding="utf-8")
