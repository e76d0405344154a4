"""Actor files users bring: CSV, YAML and PETRARCH/TABARI dictionaries extend and override."""
from __future__ import annotations

import json

import pytest

from conftest import run_cli
from redline.actors import read_user_file, resolve_actor, with_user_files


def test_csv_file_adds_organisations_people_and_roles(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("name,aliases,code,country,sector,kind,role,start,end\n"
                 "Azov Brigade,Azov,,UKR,MIL,org,,,\n"
                 "Ramzan Kadyrov,Kadyrov,,RUS,GOV,person,head of Chechnya,2007-04-05,\n"
                 "gendarme,,,,COP,role,,,\n")
    lex = with_user_files([f])
    assert resolve_actor("the Azov Brigade", "2023-05-01", lex)[0].code == "UKRMIL"
    kadyrov = resolve_actor("Kadyrov", "2023-05-01", lex)[0]
    assert (kadyrov.code, kadyrov.name) == ("RUSGOV", "Ramzan Kadyrov") and "mine.csv" in kadyrov.resolved_by
    assert resolve_actor("Kadyrov", "2001-05-01", lex)[0].sector is None  # before his term
    assert resolve_actor("French gendarmes", None, lex)[0].code == "FRACOP"


def test_user_entries_override_builtins(tmp_path):
    assert resolve_actor("Hamas", "2024-01-01")[0].country == "PSE"
    f = tmp_path / "override.yaml"
    f.write_text("- name: Hamas\n  aliases: [Harakat al-Muqawama al-Islamiya]\n  code: PSEGOV\n")
    lex = with_user_files([f])
    assert resolve_actor("Hamas", "2024-01-01", lex)[0].code == "PSEGOV"


def test_petrarch_dictionary_with_date_blocks(tmp_path):
    f = tmp_path / "old.actors"
    f.write_text("# PETRARCH style\n"
                 "VLADIMIR_PUTIN_ [RUSGOV 991231-080507] [RUSELI 080507-120507]\n"
                 "+PUTIN_\n"
                 " [RUSGOV >120507]\n"
                 "SOUTHERN_TRANSITIONAL_COUNCIL_ [YEMREB]\n"
                 "+STC_\n"
                 "ECOWAS_ [IGOWAFECO]\n")
    lex = with_user_files([f])
    assert resolve_actor("Putin", "2010-01-01", lex)[0].code == "RUSELI"
    assert resolve_actor("Putin", "2020-01-01", lex)[0].code == "RUSGOV"
    assert resolve_actor("the STC", None, lex)[0].code == "YEMREB"
    assert resolve_actor("Southern Transitional Council", None, lex)[0].code == "YEMREB"


@pytest.mark.parametrize("name, text, where", [
    ("bad.csv", "name,code\nAzov,UKRMIL\nWagner,wagner\n", "line 3: field 'code'"),
    ("bad2.csv", "name,country,sector\nAzov,Ukraine,MIL\n", "line 2: field 'country'"),
    ("bad3.csv", "name,country,start,end\nX Y,UKR,2020-01-01,2019-01-01\n", "line 2: field 'end'"),
    ("bad4.csv", "code,country\nUKRMIL,UKR\n", "line 1: header needs a 'name'"),
    ("bad5.yaml", "- name: Azov\n  code: UKRMIL\n- name: Wagner\n  colour: red\n", "line 3: field 'colour'"),
    ("bad6.actors", "PUTIN_ [RUSGOV 991231-080507]\nSTC_ [YEMREB 2020]\n", "line 2: date restriction"),
    ("bad7.actors", "+PUTIN_\n", "line 1: synonym"),
    ("bad8.yaml", "- name: [unclosed\n", "not valid YAML"),
])
def test_malformed_files_name_the_line_and_field(tmp_path, name, text, where):
    f = tmp_path / name
    f.write_text(text)
    with pytest.raises(ValueError) as err:
        read_user_file(f)
    assert str(f) in str(err.value) and where in str(err.value)


def test_cli_takes_actor_files(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("name,aliases,country,sector\nAzov Brigade,Azov,UKR,MIL\n")
    text = b"The Azov Brigade shelled Russian positions near Bakhmut."
    p = run_cli("code", "-", "--date", "2023-05-01", "--actors", str(f), stdin=text)
    [event] = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert event["source"]["code"] == "UKRMIL" and "mine.csv" in event["explanation"]
    p = run_cli("actor", "Azov", "--actors", str(f), "--json")
    assert json.loads(p.stdout)[0]["code"] == "UKRMIL"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,code\nAzov,nope\n")
    p = run_cli("code", "-", "--actors", str(bad), stdin=text)
    assert p.returncode == 2 and "line 2: field 'code'" in p.stderr.decode()
