"""changes.csv read against the plan it changes (`repair`): every problem at once, as
`file:line: column: message`, like the main inputs.

Beyond each row's own checks (the model's), a change must name a company the companies file
knows (a joining one too: pass the updated file with --companies), a relation's partner must
be another known company, and a company leaves or joins once, not both.
"""

from peergroups.io.columns import CHANGES
from peergroups.io.readers import (
    InputIssue,
    Source,
    _label,
    _open,
    _raise_if_any,
    _unknown_company,
    _validate,
)
from peergroups.model import Change, ChangeKind, Problem


def read_changes_for(source: Source, problem: Problem) -> list[Change]:
    """The changes in `source`, checked against the companies of `problem`; InvalidInput
    listing every problem otherwise."""
    issues: list[InputIssue] = []
    sheet = _open(source, CHANGES, issues, [])
    if sheet is None or not sheet.complete:
        _raise_if_any(issues, [_label(source, CHANGES)])
        return []
    valid = _validate(sheet, Change, CHANGES, issues)
    known = set(problem.by_id)
    moving: dict[str, tuple[ChangeKind, int]] = {}
    for line, change in valid:
        company = change.company_id
        if company not in known:
            message = _unknown_company(company, known)
            if change.change == ChangeKind.JOIN:
                message += " (a joining company must be in the companies file: --companies)"
            issues.append(sheet.issue(line, "company_id", message))
        if change.change == ChangeKind.RELATION and change.partner is not None:
            if change.partner == company:
                issues.append(sheet.issue(line, "partner", "is the company itself"))
            elif change.partner not in known:
                issues.append(sheet.issue(line, "partner", _unknown_company(change.partner, known)))
        if change.change in (ChangeKind.LEAVE, ChangeKind.JOIN):
            if company in moving:
                kind, first = moving[company]
                message = f"{company} already {kind.value}s on line {first}"
                issues.append(sheet.issue(line, "company_id", message))
            else:
                moving[company] = (change.change, line)
    _raise_if_any(issues, [_label(source, CHANGES)])
    return [change for _, change in valid]


__all__ = ["read_changes_for"]
