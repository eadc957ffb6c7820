"""Copies of judgment records for the scale benchmark: each copy is another judgment to ingest."""
import json

import pytest

from corpus.ingest import ingest
from eval.scaled_copies import main, write_copies
from judgments_written import drunk_driving, theft


def test_each_copy_is_a_distinct_judgment(tmp_path):
    source = tmp_path / "records"
    (source / "a").mkdir(parents=True)
    (source / "a" / "1.json").write_text(json.dumps(drunk_driving("郭某", 119), ensure_ascii=False), encoding="utf-8")
    (source / "b.jsonl").write_text(json.dumps(theft("王某", 365), ensure_ascii=False) + "\n", encoding="utf-8")
    (source / "notes.json").write_text('{"not": "a record"}', encoding="utf-8")
    assert write_copies(source, tmp_path / "x3", 3) == 6
    docs = ingest([tmp_path / "x3"], workers=1).documents
    assert len(docs) == 6 and len({d.doc_id for d in docs}) == 6
    assert {d.case_no for d in docs if "郭某" in d.title} == {"（2018）湘0103刑初119号", "（2018）湘0103刑初11901号",
                                                            "（2018）湘0103刑初11902号"}
    assert len({d.case_id for d in docs}) == 6   # another case each: copies do not collapse into one result


def test_bad_arguments_are_refused_plainly(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as stop:
        main([str(tmp_path / "empty"), str(tmp_path / "out"), "2"])
    assert stop.value.code == 2 and "no China Judgments Online records" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([str(tmp_path / "empty"), str(tmp_path / "empty"), "2"])
    assert "exists" in capsys.readouterr().err
