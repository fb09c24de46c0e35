"""Writes tests/data/finnish/: a coordinator's export as Finnish Excel saves it (run from the
repository root: python tests/data/finnish/make.py)."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook


def ytunnus(body: int) -> str:
    digits = f"{body:07d}"
    r = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if r == 1:
        return ""
    return f"{digits}-{0 if r == 0 else 11 - r}"


bodies, n = [], 2345670
while len(bodies) < 12:
    y = ytunnus(n)
    n += 1
    if y:
        bodies.append(y)

header = [
    "Y-tunnus",
    "Yritys",
    "Toimiala (TOL)",
    "Maakunta",
    "Kypsyys",
    "Tehtävänimike",
    "Tavoitteet",
    "Tapaamismuoto",
    "Kielet",
    "Kilpailijat ok",
    "Halukas puheenjohtajaksi",
    "Yhteyshenkilö",
    "Sähköposti",
]
people = [
    "Matti Mäkelä",
    "Liisa Öhman",
    "Pekka Ärrälä",
    "Sanna Åberg",
    "Jussi Koski",
    "Anu Saari",
    "Timo Lehto",
    "Kaisa Niemi",
    "Olli Rinne",
    "Heli Vuori",
    "Ville Laine",
    "Tiina Salo",
]
names = [
    "Konepaja Ääri Oy",
    "Valimo Öberg Ab",
    "Hitsaus Häkkinen Oy",
    "Muovi Mäki Oy",
    "Puu Pyöriä Oy",
    "Teräs Tähti Oy",
    "Sähkö Sälli Oy",
    "Paino Pää Oy",
    "Levy Lähde Oy",
    "Koneistus Kärki Oy",
    "Pinta Pöllö Oy",
    "Automaatio Aalto Oy",
]
titles = [
    "toimitusjohtaja, omistaja",
    "talousjohtaja",
    "tuotantojohtaja",
    "digikehityspäällikkö",
    "toimitusjohtaja",
    "kehitysjohtaja",
    "talousjohtaja",
    "tuotantojohtaja",
    "toimitusjohtaja",
    "digikehityspäällikkö",
    "johtoryhmän jäsen",
    "toimitusjohtaja",
]
goals = ["erp, mes_production_data"] * 6 + ["mes_production_data; erp"] * 6
modes = [
    "lähitapaaminen",
    "etäyhteys",
    "verkossa",
    "hybridi",
    "etäyhteys",
    "verkossa",
    "hybridi",
    "etäyhteys",
    "verkossa",
    "hybridi",
    "etäyhteys",
    "paikan päällä",
]
regions = [
    "Pirkanmaa",
    "Uusimaa",
    "Pirkanmaa",
    "Uusimaa",
    "Pirkanmaa",
    "Keski-Suomi",
    "Pirkanmaa",
    "Uusimaa",
    "Pirkanmaa",
    "Keski-Suomi",
    "Pirkanmaa",
    "Lappi",
]
maturity = [0.43, 0.38, 0.45, 0.51, 0.36, 0.40, 0.47, 0.42, 0.39, 0.44, 0.50, 0.41]
rows = []
for i in range(12):
    rows.append(
        [
            bodies[i],
            names[i],
            "25620",
            regions[i],
            maturity[i],
            titles[i],
            goals[i],
            modes[i],
            "fi",
            "kyllä" if i % 3 == 0 else "ei",
            "kyllä" if i % 4 == 0 else "ei",
            people[i],
            f"{people[i].split()[0].lower()}@example.fi",
        ]
    )

out = Path("tests/data/finnish")
book = Workbook()
sheet = book.active
sheet.title = "Yritykset"
sheet.append(header)
for row in rows:
    sheet.append(row)
    sheet.cell(sheet.max_row, 5).number_format = "0 %"
book.save(out / "yritykset.xlsx")
buffer = io.StringIO()
writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
writer.writerow(header)
for row in rows:
    writer.writerow([f"{v * 100:g} %" if isinstance(v, float) else v for v in row])
(out / "yritykset.csv").write_bytes(buffer.getvalue().encode("cp1252"))
rel = (
    "Yritys A;Yritys B;Suhde\r\n"
    + f"{bodies[0].replace('-', '')};{bodies[2]};kilpailija\r\n"
    + f"FI{bodies[1].replace('-', '')};{bodies[3]};asiakas_toimittaja\r\n"
)
(out / "suhteet.csv").write_bytes(rel.encode("cp1252"))
fac = (
    "Tunnus;Nimi;Kielet;Alueet;Osaaminen;Kapasiteetti\r\n"
    "F001;Ritva Ohjaaja;fi;Pirkanmaa|Uusimaa;erp;1\r\n"
    "F002;Kalle Vetäjä;fi;Pirkanmaa|Keski-Suomi;mes_production_data;1\r\n"
)
(out / "fasilitaattorit.csv").write_bytes(fac.encode("cp1252"))
print(bodies)
