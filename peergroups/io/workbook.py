"""The coordinator's workbook, plan.xlsx: the plan as people send it on.

Four sheets, in the plan's language (Finnish or English): "Groups" (one block per group: its
theme, facilitator, chair, scribe, meeting mode and place, then its members with names, roles
and contacts), "Unassigned" (names and reasons), "Companies" (every input company once) and
"Rules" (the rules in force and their parameters); then, when companies name the digiagent
who referred them, one sheet per digiagent with where each of their companies landed, so each
digiagent can be sent their own sheet (facilitators' packs leave these out). Headers are
styled, columns sized, the header row frozen; every cell is a value: text is stored as text, so
no cell, not even one starting with '=', is run as a formula.
"""

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from peergroups.model import Company, Group, GroupFacts, Grouping, Problem
from peergroups.places import region_label, theme_label

SHEETS = {
    "en": ("Groups", "Unassigned", "Companies", "Rules"),
    "fi": ("Ryhmät", "Sijoittamatta", "Yritykset", "Säännöt"),
}

_WORDS = {
    "en": {
        "group": "Group",
        "theme": "Theme",
        "facilitator": "Facilitator",
        "chair": "Chair",
        "scribe": "Scribe",
        "mode": "Meeting mode",
        "place": "Meets in",
        "suggested": "suggested for in-person meetings",
        "maturity": "Maturity",
        "language": "Language",
        "size": "Size",
        "company_id": "Company id",
        "name": "Name",
        "business_id": "Business id",
        "role": "Representative's role",
        "role_in_group": "Role in group",
        "contact": "Contact person",
        "email": "E-mail",
        "region": "Region",
        "goals": "Goals",
        "group_id": "Group",
        "reason": "Reason",
        "rule": "Rule",
        "meaning": "Meaning",
        "enforce": "Enforced",
        "parameters": "Parameters",
        "none": "none",
        "member": "member",
        "hard": "must hold",
        "soft": "preference",
        "off": "off",
        "digiagent": "Digiagent",
        "unassigned": "not placed",
    },
    "fi": {
        "group": "Ryhmä",
        "theme": "Teema",
        "facilitator": "Fasilitaattori",
        "chair": "Puheenjohtaja",
        "scribe": "Sihteeri",
        "mode": "Tapaamismuoto",
        "place": "Tapaamispaikka",
        "suggested": "ehdotus lähitapaamisille",
        "maturity": "Digikypsyys",
        "language": "Kieli",
        "size": "Koko",
        "company_id": "Yrityksen tunnus",
        "name": "Nimi",
        "business_id": "Y-tunnus",
        "role": "Edustajan rooli",
        "role_in_group": "Rooli ryhmässä",
        "contact": "Yhteyshenkilö",
        "email": "Sähköposti",
        "region": "Maakunta",
        "goals": "Tavoitteet",
        "group_id": "Ryhmä",
        "reason": "Syy",
        "rule": "Sääntö",
        "meaning": "Merkitys",
        "enforce": "Voimassa",
        "parameters": "Parametrit",
        "none": "ei",
        "member": "jäsen",
        "hard": "ehdoton",
        "soft": "toive",
        "off": "pois",
        "digiagent": "Digiagentti",
        "unassigned": "ei sijoitettu",
    },
}

MODE_NAMES = {
    "en": {"in_person": "in person", "hybrid": "hybrid", "virtual": "virtual"},
    "fi": {"in_person": "lähitapaaminen", "hybrid": "hybridi", "virtual": "etä"},
}
ROLE_NAMES = {
    "en": {
        "board_chair": "board chair",
        "ceo": "CEO",
        "development_director": "development director",
        "management_team_member": "management team member",
        "other": "other",
    },
    "fi": {
        "board_chair": "hallituksen puheenjohtaja",
        "ceo": "toimitusjohtaja",
        "development_director": "kehitysjohtaja",
        "management_team_member": "johtoryhmän jäsen",
        "other": "muu",
    },
}
GROUP_ROLES = {
    "en": {"chair": "chair", "scribe": "scribe", "member": "member"},
    "fi": {"chair": "puheenjohtaja", "scribe": "sihteeri", "member": "jäsen"},
}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_GROUP_FONT = Font(bold=True, size=12)
_GROUP_FILL = PatternFill("solid", fgColor="D9E1F2")
_MAX_WIDTH = 60


def write_workbook(
    path: Path,
    problem: Problem,
    grouping: Grouping,
    summary: dict[str, Any],
    lang: str = "en",
    digiagents: bool = True,
) -> None:
    """plan.xlsx for `problem` and `grouping` (reasons already in `lang`); `digiagents=False`
    leaves out the digiagents' sheets (a facilitator's pack)."""
    lang = lang if lang in SHEETS else "en"
    words = _WORDS[lang]
    book = Workbook()
    groups_sheet = book.active
    groups_sheet.title = SHEETS[lang][0]
    _groups(groups_sheet, problem, grouping, lang)
    unassigned = book.create_sheet(SHEETS[lang][1])
    _table(
        unassigned,
        [words[k] for k in ("company_id", "name", "business_id", "contact", "email", "reason")],
        [
            [*_identity(problem.by_id[u.company_id]), u.reason]
            if u.company_id in problem.by_id
            else [u.company_id, "", "", "", "", u.reason]
            for u in grouping.unassigned
        ],
    )
    companies = book.create_sheet(SHEETS[lang][2])
    header = ["company_id", "name", "business_id", "contact", "email", "region", "maturity"]
    header += ["role", "goals", "mode", "languages", "group_id"]
    rows = []
    for company in problem.companies:
        group = grouping.group_of.get(company.company_id)
        rows.append(
            [
                *_identity(company),
                region_label(company.region, lang),
                company.maturity,
                ROLE_NAMES[lang][company.role.value],
                ", ".join(company.goals),
                MODE_NAMES[lang][company.mode.value],
                ", ".join(company.languages),
                group.group_id if group else "",
            ]
        )
    labels = [words.get(k, k) for k in header]
    labels[header.index("languages")] = words["language"]
    labels[header.index("mode")] = words["mode"]
    _table(companies, labels, rows)
    rules = book.create_sheet(SHEETS[lang][3])
    _table(
        rules,
        [words[k] for k in ("rule", "meaning", "enforce", "parameters")],
        _rules(summary, lang),
    )
    if digiagents:
        _digiagent_sheets(book, problem, grouping, lang)
    book.save(path)


def _digiagent_sheets(book: Workbook, problem: Problem, grouping: Grouping, lang: str) -> None:
    """A sheet per digiagent, in order of name: their companies in input order, each with
    its group, theme, meeting mode and facilitator, or why it was not placed."""
    words = _WORDS[lang]
    reasons = {u.company_id: u.reason for u in grouping.unassigned}
    staff = {f.facilitator_id: f.name for f in problem.facilitators}
    referred: dict[str, list[Company]] = {}
    for company in problem.companies:
        if company.digiagent:
            referred.setdefault(company.digiagent, []).append(company)
    header = [words[k] for k in ("company_id", "name", "business_id", "contact", "email")]
    header += [words[k] for k in ("group_id", "theme", "mode", "facilitator", "reason")]
    taken: set[str] = {sheet.title.casefold() for sheet in book.worksheets}
    for agent in sorted(referred):
        rows = []
        for company in referred[agent]:
            group = grouping.group_of.get(company.company_id)
            if group is None:
                reason = reasons.get(company.company_id, words["unassigned"])
                rows.append([*_identity(company), "", "", "", "", reason])
                continue
            mode = GroupFacts.of(problem, group).mode
            rows.append(
                [
                    *_identity(company),
                    group.group_id,
                    theme_label(group.theme, lang),
                    MODE_NAMES[lang].get(mode.value, "") if mode else "",
                    staff.get(group.facilitator_id or "", group.facilitator_id or ""),
                    "",
                ]
            )
        _table(
            book.create_sheet(_sheet_title(f"{words['digiagent']} {agent}", taken)), header, rows
        )


def _sheet_title(wanted: str, taken: set[str]) -> str:
    """A title Excel accepts (31 characters, none of []:*?/\\, no ' at either end) that no
    other sheet has."""
    base = "".join(" " if ch in "[]:*?/\\" else ch for ch in wanted).strip(" '")[:31]
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.casefold())
    return title


def _identity(company: Company) -> list[Any]:
    return [
        company.company_id,
        company.name,
        company.business_id or "",
        company.contact or "",
        company.email or "",
    ]


def _groups(sheet: Worksheet, problem: Problem, grouping: Grouping, lang: str) -> None:
    """One block per group: a heading row, its facts, its members."""
    words = _WORDS[lang]
    keys = ("company_id", "name", "business_id", "role", "role_in_group", "contact", "email")
    header = [words[k] for k in keys] + [words["region"], words["maturity"]]
    _header_row(sheet, 1, header)
    staff = {f.facilitator_id: f.name for f in problem.facilitators}
    names = {c.company_id: c.name for c in problem.companies}
    widths = [len(h) for h in header]
    row = 2
    for group in grouping.groups:
        facts = GroupFacts.of(problem, group)
        title = f"{group.group_id}  {theme_label(group.theme, lang)} ({group.theme})"
        _put(sheet, row, 1, title, font=_GROUP_FONT)
        for column in range(1, len(header) + 1):
            sheet.cell(row, column).fill = _GROUP_FILL
        row += 1
        for label, value in _facts(group, facts, staff, names, lang):
            _put(sheet, row, 1, label, font=Font(bold=True))
            _put(sheet, row, 2, value)
            row += 1
        for cid in group.members:
            company = problem.by_id.get(cid)
            role = {group.chair: "chair", group.scribe: "scribe"}.get(cid, "member")
            values = [cid, "", "", "", GROUP_ROLES[lang][role], "", "", "", ""]
            if company is not None:
                values = [
                    cid,
                    company.name,
                    company.business_id or "",
                    ROLE_NAMES[lang][company.role.value],
                    GROUP_ROLES[lang][role],
                    company.contact or "",
                    company.email or "",
                    region_label(company.region, lang),
                    company.maturity,
                ]
            for column, value in enumerate(values, start=1):
                _put(sheet, row, column, value)
                widths[column - 1] = max(widths[column - 1], len(str(value)))
            row += 1
        row += 1
    _widths(sheet, widths)
    sheet.freeze_panes = "A2"


def _facts(
    group: Group,
    facts: GroupFacts,
    staff: dict[str, str],
    names: dict[str, str],
    lang: str,
) -> list[tuple[str, str]]:
    words = _WORDS[lang]

    def person(cid: str | None) -> str:
        return f"{names.get(cid, cid)} ({cid})" if cid else words["none"]

    facilitator = (
        f"{staff.get(group.facilitator_id, group.facilitator_id)} ({group.facilitator_id})"
        if group.facilitator_id
        else words["none"]
    )
    place = region_label(facts.region, lang)
    suggested = facts.meeting_place
    if suggested:
        place = f"{region_label(suggested, lang)} ({words['suggested']})"
    band = (
        ""
        if facts.maturity_min is None
        else f"{facts.maturity_min:.1f}-{facts.maturity_max:.1f} ({facts.maturity_spread:.1f})"
    )
    return [
        (words["facilitator"], facilitator),
        (words["chair"], person(group.chair)),
        (words["scribe"], person(group.scribe)),
        (words["mode"], MODE_NAMES[lang].get(facts.mode.value, "") if facts.mode else ""),
        (words["place"], place),
        (words["maturity"], band),
        (words["language"], facts.language or ""),
        (words["size"], str(facts.size)),
    ]


def _rules(summary: dict[str, Any], lang: str) -> list[list[Any]]:
    words = _WORDS[lang]
    labels = summary.get("labels", {}).get("rules", {})
    rows = []
    for spec in summary.get("scenario", {}).get("rules", []):
        kind = spec.get("kind", "")
        params = ", ".join(
            f"{name} = {value}"
            for name, value in spec.items()
            if name not in ("kind", "enforce") and value not in (None, {}, [])
        )
        label = labels.get(kind, {})
        meaning = label.get(lang) or label.get("en", "")
        enforce = spec.get("enforce", "")
        # A preference only weighs plans (it has a term and forbids nothing), whatever its
        # `enforce` says: "must hold" would promise what the plan does not keep.
        if enforce == "hard" and label.get("preference"):
            enforce = "soft"
        rows.append([kind, meaning, words.get(enforce, enforce), params])
    return rows


def _table(sheet: Worksheet, header: list[str], rows: list[list[Any]]) -> None:
    _header_row(sheet, 1, header)
    widths = [len(h) for h in header]
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, number, column, value)
            widths[column - 1] = max(widths[column - 1], len(str(value)))
            if len(str(value)) > _MAX_WIDTH:  # a long reason wraps within its column
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = -(-len(str(value)) // (_MAX_WIDTH - 4))
                height = sheet.row_dimensions[number].height or 15
                sheet.row_dimensions[number].height = max(height, 15 * lines)
    _widths(sheet, widths)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def _header_row(sheet: Worksheet, row: int, header: list[str]) -> None:
    for column, text in enumerate(header, start=1):
        cell = _put(sheet, row, column, text, font=_HEADER_FONT)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")


def _put(sheet: Worksheet, row: int, column: int, value: Any, font: Font | None = None) -> Any:
    """A cell holding `value` as a value: text is stored as text, never as a formula."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    """Column widths from the longest value; printed landscape, one page wide, the header
    row repeated on every page."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(_MAX_WIDTH, width + 2)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
