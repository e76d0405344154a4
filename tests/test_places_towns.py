"""The town gazetteer (redline.where.towns): candidates, resolution, the file's validation."""
from __future__ import annotations

import pytest

from redline.where import towns

HEADER = "\t".join(towns.HEADER)


def test_candidates_most_populous_first_and_resolution_by_country():
    found = towns.candidates("Tripoli")
    assert [t.country for t in found[:2]] == ["LBY", "LBN"]
    assert all(a.population >= b.population for a, b in zip(found, found[1:]))
    assert towns.resolve("Tripoli", ("LBN",)).country == "LBN"
    assert towns.resolve("Tripoli", ("XXX", "USA")).country == "USA"  # Tripoli, Iowa


def test_admin_context_picks_the_place_inside_the_division():
    assert towns.resolve("Aurangabad", ("IND",), admin="Bihar").admin1 == "Bihar"
    assert towns.resolve("Aurangabad", ("IND",), admin="Maharashtra").admin1 == "Maharashtra"


def test_a_bare_name_is_the_town_not_the_division():
    assert towns.resolve("Kharkiv").kind == "town"
    assert towns.resolve("Kharkiv", kind="admin1").kind == "admin1"


def test_spelling_variants_and_small_towns():
    assert towns.resolve("Miranshah").country == "PAK"  # GeoNames: Miran Shah
    assert towns.resolve("Qalqilya").country == "PSE"   # GeoNames: Qalqilyah
    assert towns.resolve("Tessalit").country == "MLI"   # a town of a few thousand
    assert towns.candidates("the Qwzxville") == [] and towns.resolve("") is None


@pytest.mark.parametrize("written, geonames, country", [
    ("Al-Dawr", "Ad Dawr", "IRQ"),        # the Arabic article however its consonant is written
    ("As-Salt", "As Salţ", "JOR"),
    ("Tel Abyad", "Tall Abyaḑ", "SYR"),   # "tel", "tell", "tal" one word
    ("Tell Afar", "Tall ‘Afar", "IRQ"),
])
def test_transliterations_of_the_article_and_of_tell(written, geonames, country):
    town = towns.resolve(written)
    assert (town.name, town.country) == (geonames, country)
    assert towns.loose(written) == towns.loose(geonames)


@pytest.mark.parametrize("body, message", [
    ("name\tcountry\n", "header"),
    (HEADER + "\nA\t\tAAA\t\t\tcity\t1\t2\t3\t\t\t\n", "kind"),
    (HEADER + "\nA\t\tAAA\t\t\ttown\tnorth\t2\t3\t\t\t\n", "not a number"),
    (HEADER + "\nA\t\tAAA\t\t\ttown\t95\t2\t3\t\t\t\n", "out of range"),
    (HEADER + "\nA\t\tAAA\t\t\ttown\t1\t2\t3\tG1\t\t\n", "geonameid"),
    (HEADER + "\nA\tAAA\ttown\n", "expected 12 fields"),
])
def test_bad_rows_are_refused_with_their_line(body, message):
    with pytest.raises(ValueError, match=message):
        towns.parse(body.encode("utf-8"), "t.tsv")


def test_parse_indexes_names_and_aliases():
    table = towns.parse((HEADER + "\nSmallton\tSmall Town\tAAA\tNorth\t\ttown\t1.5\t2.5\t1200\t42\t07\t\n"
                          "Nowhere\t\tAAA\t\t\ttown\t1.5\t2.5\t1000\t\t\t\n").encode("utf-8"))
    assert len(table.starts) == 2 and table.row(0).name == "Smallton" and table.forms(0) == ["Smallton", "Small Town"]
    assert (table.row(0).geonameid, table.row(0).admin1_code, table.row(0).admin2_code) == (42, "07", "")
    assert (table.row(1).geonameid, table.row(1).admin1_code) == (None, "")


def test_towns_carry_their_geonames_id_and_division_codes():
    """GeoNames' ids and admin1 codes (FIPS 10-4 for Ukraine and Mali), a US town's county code,
    a US state's id; a division of our own areas file has its code too."""
    kharkiv = towns.resolve("Kharkiv")
    assert (kharkiv.geonameid, kharkiv.admin1_code, kharkiv.admin2_code) == (706483, "07", "")
    assert towns.resolve("Kharkiv", kind="admin1").admin1_code == "07"
    assert towns.resolve("Kharkiv", kind="admin1").geonameid is None  # no pinned table has the oblast's id
    peoria = towns.resolve("Peoria", ("USA",), admin="Illinois")
    assert (peoria.admin1_code, peoria.admin2_code, peoria.geonameid) == ("IL", "143", 4905687)
    assert towns.resolve("Illinois", kind="admin1").geonameid == 4896861
    assert towns.resolve("Nangarhar", kind="admin1").admin1_code == "18"  # areas.tsv


def test_our_areas_file_adds_seas_straits_and_crossings():
    strait = towns.resolve("Strait of Hormuz")
    assert strait is not None and strait.kind == "area" and strait.country == ""
    assert towns.resolve("Bab al-Hawa").country == "SYR"


def test_sea_events_are_placed_at_area_precision(coder):
    events = coder.code_text("Iranian boats seized a tanker in the Strait of Hormuz on Friday.")
    locs = [e.location for e in events if e.location]
    assert locs and locs[0]["precision"] == "area" and locs[0]["country"] is None and locs[0]["lat"] is not None


def test_the_index_cache_keeps_the_text_and_is_read_back(tmp_path, monkeypatch):
    """Start-up: the indexed table (text included) is kept in the user's cache and read back."""
    monkeypatch.setenv("REDLINE_CACHE", str(tmp_path / "cache"))
    towns._table.cache_clear()
    try:
        built = towns._table()
        kept, = (tmp_path / "cache").glob("towns-*.npz")
        towns._table.cache_clear()
        again = towns._table()
        assert again is not built and again.text == built.text
        assert (again.hashes == built.hashes).all() and (again.starts == built.starts).all()
        assert towns.resolve("Kidal", ("MLI",)).country == "MLI"
        kept.write_bytes(b"damaged")
        towns._table.cache_clear()
        assert towns._table().text == built.text  # a damaged cache is ignored and rebuilt
    finally:
        towns._table.cache_clear()


def test_a_place_table_city_gets_the_town_tables_id_and_codes():
    """A city the place table places (a capital in a dateline, a spelling only it has) carries the
    town table's GeoNames id and codes: the city's, not its province's of the same name."""
    from redline.events.placing import dateline_place, resolve_place
    kabul = dateline_place("KABUL, May 2 (Reuters) - Gunmen fired on a checkpoint.")
    assert (kabul["precision"], kabul["geonameid"], kabul["admin1_code"]) == ("town", 1138958, "13")
    kupiansk = resolve_place("Kupiansk")  # GeoNames: Kupyansk
    assert (kupiansk["admin1"], kupiansk["geonameid"], kupiansk["admin1_code"]) == ("Kharkiv", 703656, "07")
    assert resolve_place("Ukraine")["geonameid"] is None and resolve_place("Ukraine")["admin1_code"] is None
