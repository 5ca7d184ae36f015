"""What the Python pipelines share: find the score table, total, rank."""
import unicodedata


def fold(text):
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def number(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    try:
        return float(str(v).strip().replace(".", "").replace(",", "."))
    except ValueError:
        return 0.0


def unit_total(sheets):
    score = next((rows for name, rows in sheets.items() if fold(name) == "tu cham diem"), None)
    if score is None:
        return 0.0
    header, cols = None, {}
    for i, row in enumerate(score[:20]):
        labels = [fold(c) if c is not None else "" for c in row]
        if "ma" in labels and "diem tu cham" in labels:
            header, cols = i, {l: j for j, l in enumerate(labels)}
            break
    if header is None:
        return 0.0
    total = 0.0
    for row in score[header + 1:]:
        code = row[cols["ma"]] if cols["ma"] < len(row) else None
        if code in (None, ""):
            continue
        j = cols["diem tu cham"]
        total += number(row[j]) if j < len(row) and row[j] not in (None, "") else 0.0
    return round(total, 2)


def consolidate(folder, out, read_rows, write):
    totals = []
    for path in sorted(folder.glob("*.xlsx")):
        totals.append((path.stem, unit_total(read_rows(path))))
    totals.sort(key=lambda t: (-t[1], t[0]))
    ranking, prev, rank = [], None, 0
    for i, (code, total) in enumerate(totals, start=1):
        if total != prev:
            rank, prev = i, total
        ranking.append((rank, code, total))
    write(out, ranking)
    print(f"{len(totals)} units")
