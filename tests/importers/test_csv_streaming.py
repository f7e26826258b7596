"""The batch CSV streamed from its file: the same records as the text read whole, at any buffer
size, whatever the line ends, byte-order mark, encoding or quoted newlines; never held whole."""

from __future__ import annotations

import csv
import io
import json
import os
import threading

import pytest

from megaroth import api, intake
from megaroth.batch import batch_report
from megaroth.importers.base import Document
from megaroth.importers.csv_batch import CsvBatchImporter

HEADER = "Client ID,Tax Year,Payer,Box 1,Box 2a,Box 7,Disposition\n"


def _rows(count: int, newline: str = "\n") -> str:
    lines = [HEADER.rstrip("\n")]
    for n in range(count):
        # Rows of one client are apart (A, B, A …): grouping is over the whole file.
        client = f"C-{n % 7:03d}"
        lines.append(f'{client},2025,"Acme ""401(k)"" Plan",{1000 + n}.00,{n}.00,G,designated_roth_same_plan')
    return newline.join(lines) + newline


def _reference(text: str) -> list[tuple[str, list[tuple[str, dict]]]]:
    """What the importer gives for the text held whole in memory (a Document of bytes)."""
    return _groups(Document(name="batch.csv", data=text.encode("utf-8")))


def _groups(doc: Document):
    return [(key, [(r.locator, r.values) for r in records]) for key, records in CsvBatchImporter().iter_groups(doc)]


@pytest.mark.parametrize("head", [7, 64, 4096])
def test_a_csv_larger_than_the_buffers_streams_the_same_records(tmp_path, monkeypatch, head):
    text = _rows(3000)
    assert len(text) > 64 * 1024  # larger than the default sniffing buffer too
    path = tmp_path / "batch.csv"
    path.write_text(text, newline="")
    monkeypatch.setattr(Document, "HEAD", head)
    monkeypatch.setattr(Document, "CHUNK", head * 3)
    doc = Document.from_file(str(path), path)
    assert doc.kind == "csv"
    got = _groups(doc)
    assert got == _reference(text)
    assert sum(len(records) for _, records in got) == 3000 and len(got) == 7
    assert "data" not in doc.__dict__  # the file was streamed, never read whole


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_crlf_bom_and_quoted_newlines(tmp_path, newline):
    text = ("\ufeff" + HEADER.replace("\n", newline)
            + f'A,2025,"Acme{newline}401(k) Plan",100.00,0.00,G,roth_ira{newline}'
            + f'B,2025,Globex,"1,200.00",200.00,7,{newline}'
            + f'A,2025,Acme,50.00,50.00,7,{newline}')
    path = tmp_path / "crlf.csv"
    path.write_bytes(text.encode("utf-8"))
    doc = Document.from_file(str(path), path)
    assert CsvBatchImporter().header(doc).names[0] == "Client ID"  # the BOM is not part of the header
    groups = _groups(doc)
    assert [key for key, _ in groups] == ["id:B", "id:A"]
    (_, a_records) = groups[1]
    assert a_records[0][1]["payer_name"] == f"Acme{newline}401(k) Plan"
    # Spreadsheet rows: the quoted newline does not shift the numbering of later rows' records.
    assert [locator for locator, _ in a_records] == ["row 2", "row 4"]
    assert groups == _groups(Document(name="crlf.csv", data=text.encode("utf-8")))


def test_a_windows_1252_byte_past_the_first_buffer_decodes_the_whole_file_as_1252(tmp_path, monkeypatch):
    monkeypatch.setattr(Document, "HEAD", 16)
    text = _rows(40) + "C-009,2025,Caf\xe9 Plan,10.00,10.00,7,\n"
    path = tmp_path / "cp1252.csv"
    path.write_bytes(text.encode("cp1252"))
    doc = Document.from_file(str(path), path)
    assert doc.encoding == "cp1252"
    payers = [values.get("payer_name") for _, records in _groups(doc) for _, values in records]
    assert "Caf\xe9 Plan" in payers


def test_a_multibyte_character_across_buffers(tmp_path, monkeypatch):
    monkeypatch.setattr(Document, "HEAD", 5)
    monkeypatch.setattr(Document, "CHUNK", 3)
    text = HEADER + "A,2025,Zürich Pensionskasse ✔,10.00,10.00,7,\n"
    path = tmp_path / "utf8.csv"
    path.write_bytes(text.encode("utf-8"))
    doc = Document.from_file(str(path), path)
    assert doc.encoding == "utf-8-sig" and doc.kind == "csv"
    ((_, [(_, values)]),) = _groups(doc)
    assert values["payer_name"] == "Zürich Pensionskasse ✔"


def test_a_bad_row_mid_file_is_rejected_and_every_record_is_counted(tmp_path):
    lines = _rows(200).splitlines(keepends=True)
    lines[101] = 'C-003,2025,Acme,"10,200.00",oops,G,roth_ira\n'  # row 102: a bad box 2a
    lines[150] = "C-004,2025,Acme,1,2,3,4,5,6,7\n"  # row 151: more cells than the header
    path = tmp_path / "bad.csv"
    path.write_text("".join(lines))
    summary = batch_report([str(path)], tmp_path / "out", worksheets=False)
    assert summary.records_in == 200
    assert (summary.records_reported, summary.records_rejected) == (198, 2) and summary.conserved
    rejected = list(csv.DictReader((tmp_path / "out" / "rejected.csv").open()))
    assert sorted((r["record"], r["field"]) for r in rejected) == [("row 102", "box_2a"), ("row 151", "")]
    totals = json.loads((tmp_path / "out" / "summary.json").read_text())["totals"]
    assert totals["records_in"] == totals["records_reported"] + totals["records_rejected"] == 200


def test_the_progress_total_is_announced_before_the_first_taxpayer(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text(_rows(30))
    seen = []
    batch_report([str(path)], tmp_path / "out", worksheets=False, progress=lambda n, total: seen.append((n, total)))
    assert seen[0] == (1, 7) and seen[-1] == (7, 7)


def test_batch_documents_are_backed_by_their_files(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text(_rows(10))
    (doc,) = intake.read_documents([str(path)])
    tally = intake.Tally()
    assert sum(len(g.records) for g in intake.groups([doc], tally)) == tally.records_in == 10
    assert "data" not in doc.__dict__


def test_stdin_bytes_stream_too():
    text = _rows(12, "\r\n")
    doc = Document(name="<stdin>", data=text.encode())
    with doc.open_text() as stream:
        assert isinstance(stream, io.TextIOBase)
    assert sum(len(records) for _, records in _groups(doc)) == 12


def test_import_out_dir_streams_each_taxpayer_and_conserves_records(tmp_path):
    lines = _rows(20).splitlines(keepends=True)
    lines[5] = "C-004,2025,Acme,100.00,bad,G,roth_ira\n"
    path = tmp_path / "in.csv"
    path.write_text("".join(lines))
    documents, tally = api.iter_imports([str(path)])
    names = [name for name, _ in documents]
    # In the order each taxpayer's last row comes (C-006's is row 15, the others' rows 16-21).
    assert names == [f"C-{n:03d}-2025" for n in (6, 0, 1, 2, 3, 4, 5)]
    assert tally.records_in == 20
    assert {e.source.record for e in tally.rejected} == {"row 6"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_is_read_once_and_held(tmp_path):
    fifo = tmp_path / "batch.csv"
    os.mkfifo(fifo)
    text = _rows(9)
    writer = threading.Thread(target=lambda: fifo.write_text(text))
    writer.start()
    doc = Document.from_file(str(fifo), fifo)
    writer.join()
    assert "data" in doc.__dict__ and doc.kind == "csv"
    assert _groups(doc) == _reference(text)
