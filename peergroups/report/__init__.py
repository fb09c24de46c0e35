"""The facilitators' review report: plain data (`data`), pictures (`figures`), words in Finnish
and English (`labels`), and one self-contained HTML file (`html`)."""

from peergroups.report.data import RoundsShown, report_data
from peergroups.report.html import compile_templates, is_report, render_report, write_report

__all__ = [
    "RoundsShown",
    "compile_templates",
    "is_report",
    "render_report",
    "report_data",
    "write_report",
]
