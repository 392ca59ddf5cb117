"""``make audit``'s dependency check: pip-audit over the installed environment, read strictly.

pip-audit on its own reports "No known vulnerabilities found" and exits 0 even when it could
check no package at all (the vulnerability service unreachable, or a registry mirror without
PyPI's JSON API): that would be a silent pass. This wrapper fails instead, naming what was not
checked, unless ``AUDIT_ALLOW_INCOMPLETE=1`` says an incomplete check is acceptable here; then it
prints a warning that cannot be missed. Known vulnerabilities always fail. Run:
``python -m tools.supply_chain`` (docs/security.md).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

OK, VULNERABLE, INCOMPLETE = 0, 1, 2


def judge(report: dict[str, list[dict[str, object]]], *, allow_incomplete: bool) -> tuple[int, list[str]]:
    """The exit code and the lines to print for a pip-audit JSON report."""
    lines: list[str] = []
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    checked = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:  # type: ignore[attr-defined]
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            lines.append(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in: {fixes})")
    lines.append(f"pip-audit checked {checked} of {len(dependencies)} installed packages.")
    if vulnerable:
        return VULNERABLE, lines
    if skipped:
        lines += [f"NOT CHECKED {d['name']}: {d['skip_reason']}" for d in skipped[:10]]
        if len(skipped) > 10:
            lines.append(f"… and {len(skipped) - 10} more not checked.")
        if not allow_incomplete:
            lines.append(
                "The dependency audit is INCOMPLETE: the vulnerability service did not answer for these "
                "packages. Run it where PyPI's JSON API is reachable, or set AUDIT_ALLOW_INCOMPLETE=1 to accept."
            )
            return INCOMPLETE, lines
        lines.append(
            f"WARNING: the dependency audit is INCOMPLETE ({len(skipped)} of {len(dependencies)} packages "
            "not checked); accepted."
        )
    return OK, lines


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    # --skip-editable: Pilotti itself is installed editable and is not on PyPI.
    command = [str(pip_audit), "--format=json", "--skip-editable", "--progress-spinner=off"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(result.stderr.strip() or result.stdout.strip(), file=sys.stderr)
        print("pip-audit gave no report: the dependency audit did not run.", file=sys.stderr)
        return INCOMPLETE
    code, lines = judge(report, allow_incomplete=os.environ.get("AUDIT_ALLOW_INCOMPLETE") == "1")
    print("\n".join(lines), file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
