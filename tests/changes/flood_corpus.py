"""A small invented story for the change-log, watch and alert tests: a flood on the river
Ilm in the invented town of Wendelstadt, reported by four invented outlets over two days."""

from __future__ import annotations

import json
from pathlib import Path

FIRST = [
    {
        "outlet": "Ilmtal-Bote",
        "published": "2024-06-03T08:00:00Z",
        "title": "Hochwasser in Wendelstadt: Ilm erreicht 6,2 Meter",
        "text": "Die Ilm hat in Wendelstadt am Montagmorgen einen Pegelstand von 6,2 Metern "
        "erreicht. Die Stadt rief den Katastrophenfall aus und sperrte die Altstadt.\n\n"
        "Rund 800 Einsatzkräfte von Feuerwehr und Technischem Hilfswerk sind in Wendelstadt "
        "im Einsatz. Bürgermeisterin Karin Lohse sagte, die Lage sei ernst, aber unter "
        "Kontrolle. Die Feuerwehr sichert die Uferpromenade mit Sandsäcken.",
    },
    {
        "outlet": "Wendelstädter Anzeiger",
        "published": "2024-06-03T10:30:00Z",
        "title": "Katastrophenfall in Wendelstadt: Ilm-Hochwasser steigt weiter",
        "text": "Wegen des Hochwassers der Ilm hat Wendelstadt den Katastrophenfall ausgerufen. "
        "Der Pegel der Ilm lag am Montagmorgen bei 6,2 Metern, die Altstadt ist gesperrt.\n\n"
        "Feuerwehr und Technisches Hilfswerk sind mit rund 800 Einsatzkräften in Wendelstadt "
        "unterwegs und sichern die Uferpromenade mit Sandsäcken. Bürgermeisterin Karin Lohse "
        "rief die Anwohner auf, Keller zu räumen.",
    },
]

SECOND = [
    {
        "outlet": "Wendelstädter Anzeiger",
        "published": "2024-06-04T07:00:00Z",
        "title": "Ilm-Hochwasser in Wendelstadt: Pegel sinkt langsam",
        "text": "Das Hochwasser der Ilm in Wendelstadt geht zurück. Der Pegel sank in der Nacht "
        "auf 5,8 Meter, der Katastrophenfall gilt aber weiter, die Altstadt bleibt gesperrt.\n\n"
        "Die Feuerwehr und das Technische Hilfswerk sind weiter mit Einsatzkräften in "
        "Wendelstadt, die Sandsäcke an der Uferpromenade bleiben liegen. Bürgermeisterin "
        "Karin Lohse sprach von einer vorsichtigen Entwarnung.",
    },
    {
        "outlet": "Radio Ilmwelle",
        "published": "2024-06-04T09:00:00Z",
        "title": "Wendelstadt: Hochwasser der Ilm geht zurück, Katastrophenfall bleibt",
        "text": "In Wendelstadt sinkt der Pegel der Ilm: Am Dienstagmorgen wurden noch 5,8 Meter "
        "gemessen. Der Katastrophenfall bleibt bestehen, die Altstadt ist weiter gesperrt.\n\n"
        "Feuerwehr und Technisches Hilfswerk sichern mit Sandsäcken weiter die Uferpromenade "
        "von Wendelstadt. Bürgermeisterin Karin Lohse sagte, die Stadt habe das Schlimmste "
        "überstanden.",
    },
]

OTHER = {
    "outlet": "Ilmtal-Bote",
    "published": "2024-06-04T12:00:00Z",
    "title": "Kornhausen: Gemeinderat beschließt neuen Radweg an der Ringstraße",
    "text": "Der Gemeinderat von Kornhausen hat den Bau eines Radwegs entlang der Ringstraße "
    "beschlossen. Die Kosten liegen bei 1,4 Millionen Euro, Baubeginn ist im Herbst.\n\n"
    "Der Radweg soll die Innenstadt mit dem Bahnhof verbinden. Die Opposition kritisierte die "
    "Kosten und verlangte eine günstigere Lösung über die Parkstraße.",
}


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path
