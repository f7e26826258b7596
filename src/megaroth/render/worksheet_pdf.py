"""The worksheet as a PDF, drawn with fpdf2 from the same context the Markdown and HTML templates
use (`megaroth.render.worksheet.build_context`): the same words and figures, TINs masked the
same way. Every page carries megaroth's version, the preparation date and "page n of m"; a
table's header row is repeated on each page it runs onto and no row is split across pages
(fpdf2 breaks the page before a row that does not fit); the sources are listed compactly at
the end.

fpdf2 is pure Python (with fontTools and Pillow wheels): no system library. The PDF uses the
standard Helvetica font, which holds Latin-1 only, so a few typographic characters are written
as their ASCII equivalents (− → -, × → x, … → ...).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

_ASCII = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
                        "\u201d": '"', "\u2026": "...", "\u00d7": "x", "\u00f7": "/", "\u2264": "<=", "\u2265": ">=",
                        "\u2192": "->", "\u2022": "-", "\u00b7": "-", "\u2714": "X", "\u2713": "X", "\u00a0": " ",
                        "\u2009": " ", "\u202f": " "})

BODY = 9
SMALL = 7
LINE = 11
MARGIN = 40
HEADING = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


def _latin(text: object) -> str:
    return str(text).translate(_ASCII).encode("latin-1", "replace").decode("latin-1")


def _refs(numbers) -> str:
    return "".join(f"[{n}]" for n in numbers or ())


class _Worksheet(FPDF):
    def __init__(self, version: str, prepared: str, title: str) -> None:
        super().__init__(orientation="portrait", unit="pt", format="letter")
        self.version, self.prepared, self.title_text = version, prepared, title
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_font("Helvetica", size=SMALL)
        self.set_text_color(90, 90, 90)
        self.set_y(MARGIN - 22)
        self.cell(0, 10, _latin(self.title_text), align="L")
        self.set_text_color(0, 0, 0)
        self.set_y(MARGIN)

    def footer(self) -> None:
        self.set_y(-MARGIN + 12)
        self.set_font("Helvetica", size=SMALL)
        self.set_text_color(90, 90, 90)
        self.cell(0, 10, _latin(f"Prepared {self.prepared} by megaroth {self.version}. TINs masked unless "
                                f"--reveal-tins. Page {self.page_no()} of {{nb}}"), align="C")
        self.set_text_color(0, 0, 0)

    # Building blocks ----------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> None:
        size = {0: 15, 1: 12, 2: 10}[level]
        if self.will_page_break(size * 3):
            self.add_page()
        self.ln(6 if level else 0)
        self.set_font("Helvetica", style="B", size=size)
        self.multi_cell(0, size + 3, _latin(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=BODY)
        self.ln(2)

    def para(self, text: str, *, bold: bool = False, size: int = BODY) -> None:
        if not text:
            return
        self.set_font("Helvetica", style="B" if bold else "", size=size)
        self.multi_cell(0, LINE, _latin(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=BODY)
        self.ln(2)

    def bullet(self, text: str) -> None:
        self.set_x(MARGIN + 8)
        self.multi_cell(0, LINE, _latin(f"- {text}"), new_x="LMARGIN", new_y="NEXT")

    def table(self, headings: list[str], rows: list[list[str]], widths: tuple[int, ...],
              right: tuple[int, ...] = ()) -> None:
        """A table whose header row repeats on each page; a row never splits across pages."""
        if not rows:
            return
        self.set_font("Helvetica", size=SMALL + 1)
        align = tuple("RIGHT" if i in right else "LEFT" for i in range(len(headings)))
        with super().table(col_widths=widths, text_align=align, headings_style=HEADING, repeat_headings=1,
                           line_height=LINE, padding=2, first_row_as_headings=True) as table:
            table.row([_latin(h) for h in headings])
            for row in rows:
                table.row([_latin(cell) for cell in row])
        self.set_font("Helvetica", size=BODY)
        self.ln(4)


def render_pdf(context: dict[str, Any], prepared: date | None = None) -> bytes:
    """The worksheet context (build_context) drawn as a PDF document."""
    c = context
    doc, prepared_text = _start(f"Mega backdoor Roth worksheet - tax year {c['tax_year']}", c["version"], prepared)
    if c["taxpayer_name"] or c["taxpayer_tin"]:
        doc.para(f"Taxpayer: {c['taxpayer_name'] or '(no name)'}"
                 + (f" (TIN {c['taxpayer_tin']})" if c["taxpayer_tin"] else ""))
        if c["spouse_name"] or c["spouse_tin"]:
            doc.para(f"Spouse: {c['spouse_name'] or '(no name)'}"
                     + (f" (TIN {c['spouse_tin']})" if c["spouse_tin"] else ""))
        if c["filing_status"]:
            doc.para(f"Filing status: {c['filing_status']}")
    doc.para(f"Prepared {prepared_text} by megaroth {c['version']} for {c['form_title']}. Amounts are exact to the "
             "cent; the whole-dollar column rounds each line total half up. Numbers in brackets refer to the "
             "sources at the end.")
    if not c["complete"] and c["forms_incomplete"]:
        doc.para("INCOMPLETE. At least one Form 1099-R could not be read or computed (see below): the lines leave "
                 "it out and are not final.", bold=True)
    if c["missing_facts"]:
        doc.para("INCOMPLETE: facts still needed. The lines below are computed without them and are not final. "
                 "Give each with --fact NAME=VALUE (or answer the questions):", bold=True)
        for m in c["missing_facts"]:
            doc.bullet(f"{m['title']} ({m['who']}), --fact {m['option']}=..."
                       + (f": up to {m['at_stake']} at stake." if m["at_stake"] else "."))
    if c["layout_note"]:
        doc.para(f"Form layout not verified: {c['layout_note']}", bold=True)
    if c["errors"]:
        doc.heading("Input that could not be read")
        for e in c["errors"]:
            doc.bullet(f"{e['where']}: {e['message']}")

    doc.heading("Findings")
    if c["findings"]:
        counts = c["counts"]
        doc.para(f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s).")
        doc.table(["Severity", "Code", "Form / box", "Finding", "Sources"],
                  [[f["severity"].upper(), f["code"], " ".join(x for x in (f.get("form") or "", f.get("box") or "") if x),
                    f["message"], _refs(f.get("refs"))] for f in c["findings"]], (9, 16, 12, 50, 9))
    else:
        doc.para("None: the forms are consistent.")

    doc.heading("Form 1040 entries")
    doc.table(["Line", "Description", "Amount", "Whole dollars", "From forms", "Sources"],
              [[l["key"], l["label"], l["amount"], l["whole_dollars"], l["sources"], _refs(l["refs"])]
               for l in c["lines"]], (7, 33, 14, 11, 23, 12), right=(2, 3))
    for l in c["lines"]:
        if l["note"]:
            doc.bullet(f"Line {l['key']}: {l['note']}")
    if c["notations"]:
        doc.heading("Rollover marker", 2)
        for n in c["notations"]:
            doc.bullet(f"{n['instruction']} (forms: {n['forms']}) {_refs(n['refs'])}")
    doc.heading("Statements to attach", 2)
    if c["statements"]:
        for s in c["statements"]:
            doc.bullet(f"Line {s['line']}: \"{s['text']}\" {_refs(s['refs'])}")
    else:
        doc.para("None required (the instructions ask for one only for IRA rollovers into a plan or made the next "
                 "year).")

    if c["comparison"]:
        _comparison(doc, c["comparison"])

    f8606 = c["form_8606"]
    doc.heading(f"Form 8606: {f8606['status']}")
    doc.para(f"{f8606['summary']} {_refs(f8606['refs'])}")
    for r in f8606["reasons"]:
        doc.bullet(r)
    for p in c["people"]:
        if not p["lines"]:
            continue
        doc.heading(f"Form 8606 of {p['label']} - {p['status']}", 2)
        doc.para(p["summary"] + (" The nontaxable part comes from Pub 590-B Worksheet 1-1."
                                 if p.get("worksheet_1_1") else ""))
        doc.table(["Line", "Description", "Amount", "Whole dollars", "How it was figured", "Sources"],
                  [[l["line"], l["label"], l["amount"], l["whole_dollars"], l["description"], _refs(l["refs"])]
                   for l in p["lines"]], (7, 33, 12, 10, 28, 10), right=(2, 3))
        if p.get("basis_next"):
            doc.para(f"Basis in traditional IRAs carried to next year's line 2: {p['basis_next']}.")

    f5329 = c["form_5329"]
    doc.heading(f"10% additional tax (Form 5329): {f5329['status']}")
    doc.para(f"{f5329['summary']} {_refs(f5329['refs'])}")
    for r in f5329["reasons"]:
        doc.bullet(r)
    if c["joint"]:
        doc.heading("Each spouse's part", 2)
        for p in c["people"]:
            doc.bullet(f"{p['label']} ({p['role']}): forms {p['forms'] or 'none'}"
                       + (f"; {p['shares']}" if p.get("shares") else "")
                       + f". Form 8606: {p['status']}. Form 5329: {p['form_5329']} {_refs(p.get('form_5329_refs'))}")

    doc.heading("5-year clocks started")
    if c["clocks"]:
        doc.table(["Form", "Kind", "Taxable amount", "From", "Through"],
                  [[k["form"], f"{k['kind']} {_refs(k['refs'])}", k["amount"], k["starts"], k["ends"]]
                   for k in c["clocks"]], (20, 30, 18, 16, 16), right=(2,))
        for k in c["clocks"]:
            doc.bullet(f"{k['form']}: {k['description']}")
    elif c["clocks_unknown"]:
        doc.para(f"Not known: the case does not say where form(s) {c['clocks_unknown']} rolled the money; a taxable "
                 "amount rolled into a Roth account starts a 5-year clock.")
    else:
        doc.para("None: no taxable amount went into a Roth account.")
    basis = c["roth_basis"]
    if basis["any"]:
        doc.heading("Roth IRA basis for later years")
        doc.para(f"Keep for Form 8606 Part III when you take money out of the Roth IRA {_refs(basis['refs'])}:")
        doc.bullet(f"Basis in Roth IRA contributions (line 22) added this year: {basis['line_22']}")
        doc.bullet(f"Basis in conversions and rollovers from plans (line 24) added this year: {basis['line_24']}")

    if c["matches"]:
        doc.heading("Did each rollover land? (Form 5498)")
        doc.table(["Whose", "Receiving account", "5498 year", "From 1099-R", "Expected", "Form 5498", "Shown",
                   "Status"],
                  [[m["owner"], m["kind"] + (f" {m['account']}" if m.get("account") else ""), str(m["year"]),
                    m["from"], m["expected"], m["forms"], m["shown"], f"{m['status']} {_refs(m.get('refs'))}"]
                   for m in c["matches"]], (9, 17, 8, 14, 12, 14, 12, 14), right=(4, 6))
        for m in c["matches"]:
            doc.bullet(f"{m['kind']}{' ' + m['account'] if m.get('account') else ''}, {m['year']}: "
                       f"{m['explanation']}")

    doc.heading("The forms, one by one")
    for f in c["forms"]:
        doc.heading(f"Form {f['id']}" + (f" - {f['payer']}" if f.get("payer") else ""), 2)
        doc.para(f"Box 7: {f['box_7']} - Account: {f['account']} - Treatment: {f['treatment']}")
        if not f["computed"]:
            doc.para(f"Not computed: {f['unsupported_reason']}", bold=True)
        doc.table(["Box", "As printed"], [[b["box"], b["value"]] for b in f["boxes"]], (60, 40))
        if f["computed"]:
            doc.para(f["summary_line"])
        doc.table(["Went to", "How", "Amount", "Basis", "Pretax", "Taxable"],
                  [[p["destination"], p["how"], p["amount"], p["basis"], p["pretax"], p["taxable"]]
                   for p in f["parts"]], (32, 16, 13, 13, 13, 13), right=(2, 3, 4, 5))
        if f["steps"]:
            doc.para("How each number was figured:")
            doc.table(["#", "Step", "Rule", "Sources"],
                      [[str(i), s["description"], s["rule_title"], _refs(s["refs"])]
                       for i, s in enumerate(f["steps"], start=1)], (4, 44, 42, 10))
        if f["split"]:
            doc.para("Split for entry in tax software (one entry per destination; the parts add up to this form):")
            doc.table(["Destination", "Box 1", "Box 2a", "Box 4", "Box 5", "Box 7"],
                      [[s["destination"], s["box_1"], s["box_2a"], s["box_4"], s["box_5"], s["box_7"]]
                       for s in f["split"]], (35, 13, 13, 13, 13, 13), right=(1, 2, 3, 4))
    for f in c["forms_5498"]:
        doc.heading(f"Form 5498 {f['id']}" + (f" - {f['trustee']}" if f.get("trustee") else ""), 2)
        doc.table(["Box", "As printed"], [[b["box"], b["value"]] for b in f["boxes"]], (60, 40))
    if c["policies"]:
        doc.heading("Choices megaroth made where the instructions are silent")
        for p in c["policies"]:
            doc.bullet(f"{p['option']} = {p['value']} (forms: {p['forms']}). {p['explanation']}")

    if c.get("guide"):
        _guide(doc, c["guide"])
    _sources(doc, c["bibliography"])
    return bytes(doc.output())


def _comparison(doc: _Worksheet, comparison: dict[str, Any]) -> None:
    doc.heading(f"Compared with {comparison['software']}")
    if comparison.get("file"):
        doc.para(f"Software figures from: {comparison['file']}.")
    if comparison["agree"]:
        doc.para(f"The software agrees with megaroth on the {comparison['compared']} figure(s) compared.", bold=True)
    else:
        doc.para(f"The software differs from megaroth on {comparison['differs']} figure(s). The most likely causes "
                 "follow the table.", bold=True)
    if not comparison["complete"]:
        doc.para("megaroth's own figures are incomplete (a form it could not compute, or a fact it was not given); see the causes and notes.")
    doc.table(["Line", "Description", "megaroth", "Software", "Difference", "Status", "Causes"],
              [[i["line"], f"{i['label']} {_refs(i.get('refs'))}", i["expected"], i["software"], i["difference"],
                i["status_text"], i["diagnoses"]] for i in comparison["items"]], (11, 31, 13, 13, 11, 12, 9),
              right=(2, 3, 4))
    for i in comparison["items"]:
        if i.get("note"):
            doc.bullet(f"{i['line']}: {i['note']}")
    if comparison["not_given"]:
        doc.bullet(f"Not given, so not compared: {comparison['not_given']}.")
    for note in comparison["notes"]:
        doc.bullet(note)
    for d in comparison["diagnoses"]:
        doc.heading(f"#{d['number']} {d['title']}", 2)
        doc.para(f"{d['lines']}: {d['fit_text']}. {_refs(d['refs'])}")
        doc.para(d["explanation"])
        doc.para(f"What to change in the software: {d['fix']}", bold=True)


def _guide(doc: _Worksheet, guide: dict[str, Any]) -> None:
    """The entry guides (render/entry_guide.guide_context): steps with their pages [g1]..."""
    for p in guide["products"]:
        doc.heading(f"Entering it in {p['title']}")
        where = p["where"]
        doc.para(f"{p['audience'].capitalize()}. Where: {where['text']}"
                 + (f" ({where['mark']})" if where["mark"] else "") + " " + "".join(f"[{r}]" for r in where["refs"]))
        for e in p["entries"]:
            doc.heading(e["title"], 2)
            if e["boxes"]:
                doc.table([b["box"] for b in e["boxes"]], [[b["value"] for b in e["boxes"]]],
                          tuple(20 for _ in e["boxes"]), right=tuple(range(len(e["boxes"]) - 1)))
            for index, step in enumerate(e["steps"], start=1):
                doc.para(f"{index}. {step['text']}" + (f" ({step['mark']})" if step["mark"] else "") + " "
                         + "".join(f"[{r}]" for r in step["refs"]))
        doc.para(f"Then check the return {p['title']} prepared:", bold=True)
        for step in p["check"]:
            doc.bullet(step["text"])
    doc.heading("Pages the entry guide cites", 2)
    doc.para(guide["note"] + " How each step is known: vendor's help page (read in the vendor's own help); "
             "second-hand (a forum answer or a blog, not the vendor); megaroth's reading (of the cited pages, which "
             "do not say it in so many words).", size=SMALL)
    for source in guide["guide_sources"]:
        doc.para(f"[{source['ref']}] {source['title']} - {source['publisher']}; {source['kind']}. {source['url']}",
                 size=SMALL)


def _sources(doc: _Worksheet, bibliography: list[dict[str, Any]]) -> None:
    doc.heading("Sources")
    for b in bibliography:
        words = f"\"{b['quote']}\"" if b.get("quote") else (b.get("summary") or "")
        doc.para(f"[{b['number']}] {b['text']}. {words} ({b['confidence_words']}) {b['url']}", size=SMALL)


def _findings(doc: _Worksheet, findings: list[dict[str, Any]], title: str) -> None:
    if not findings:
        return
    doc.heading(title)
    for f in findings:
        where = f" - form {f['form']}" if f.get("form") else ""
        doc.bullet(f"{f['severity'].upper()} {f['code']}{where}: {f['message']} {_refs(f['refs'])}")


def _start(title: str, version: str, prepared: date | None) -> tuple[_Worksheet, str]:
    prepared_text = (prepared or date.today()).isoformat()
    doc = _Worksheet(version, prepared_text, title)
    doc.set_title(_latin(title))
    doc.set_creator(_latin(f"megaroth {version}"))
    doc.add_page()
    doc.heading(title, 0)
    return doc, prepared_text


def render_compare_pdf(context: dict[str, Any], prepared: date | None = None) -> bytes:
    """The comparison alone (render/compare.compare_context) as a PDF."""
    c = context
    doc, prepared_text = _start(f"megaroth compared with your tax software - tax year {c['tax_year']}",
                                c["version"], prepared)
    if c["taxpayer_name"] or c["taxpayer_tin"]:
        doc.para(f"Taxpayer: {c['taxpayer_name'] or '(no name)'}"
                 + (f" (TIN {c['taxpayer_tin']})" if c["taxpayer_tin"] else ""))
    how = ("in whole dollars (megaroth's lines rounded as filed)" if c["comparison"].get("whole_dollars", True)
           else "in dollars and cents")
    doc.para(f"Prepared {prepared_text} by megaroth {c['version']} for {c['form_title']}. The software's figures "
             f"are compared {how}; numbers in brackets refer to the sources at the end. megaroth report "
             "gives the full worksheet.")
    _comparison(doc, c["comparison"])
    _findings(doc, c["findings"], "Findings on the 1099-Rs")
    _sources(doc, c["bibliography"])
    return bytes(doc.output())


def render_yearend_pdf(context: dict[str, Any], prepared: date | None = None) -> bytes:
    """The year-end worksheet (render/yearend.build_context) as a PDF; the chart's numbers are in the timeline."""
    c = context
    doc, prepared_text = _start(f"Year-end worksheet - tax year {c['tax_year']}", c["version"], prepared)
    if c["taxpayer_name"] or c["taxpayer_id"]:
        doc.para(f"Taxpayer: {c['taxpayer_name'] or '(no name)'}"
                 + (f" (id {c['taxpayer_id']})" if c["taxpayer_id"] else ""))
    doc.para(f"Prepared {prepared_text} by megaroth {c['version']}."
             + (" Numbers in brackets refer to the sources at the end." if c["bibliography"] else ""))
    _findings(doc, c["findings"], "Findings")
    carried = c["carried"]
    if carried:
        doc.heading("Carried in from earlier years (the ledger)")
        doc.para(f"Years remembered: {carried['years']}.")
        doc.bullet("Traditional IRA basis (line 14 of the last Form 8606; this year's line 2): "
                   f"{carried['traditional_ira_basis']}")
        doc.bullet(f"Roth IRA basis in contributions (Form 8606 line 22): {carried['roth_ira_contribution_basis']}")
        for r in carried["roth_ira_conversion_basis"]:
            doc.bullet(f"Roth IRA basis in rollovers and conversions of {r['year']} (Form 8606 line 24): {r['amount']}")
        doc.bullet(f"After-tax basis still in the plan on January 1: {carried['plan_after_tax_basis']}")
        doc.table(["Year", "Kind", "Taxable amount", "Ends"],
                  [[k["year"], k["kind"], k["amount"], k["ends"]] for k in carried["clocks"]], (15, 45, 20, 20),
                  right=(2,))
    for owner, room in c["rooms"]:
        doc.heading("After-tax contribution room" + (f" - {owner}" if owner else ""))
        doc.para(f"Age at year end: {room['age'] or 'not given'}. Deferral limit {room['deferral_limit']}, catch-up "
                 f"up to {room['catch_up_limit']}; deferrals {room['total_deferrals']}, of which catch-up "
                 f"{room['catch_up_used']}.")
        doc.table(["Employer", "Compensation", "415(c) limit", "Used before after-tax", "Room", "After-tax made",
                   "Excess"], [[e["employer"], e["compensation"], e["limit"], e["used"], e["room"], e["made"],
                                e["excess"]] for e in room["employers"]], (20, 14, 13, 15, 13, 13, 12),
                  right=(1, 2, 3, 4, 5, 6))
        doc.table(["Plan", "Kind", "Deferrals", "Catch-up", "Employer money", "Plan cap", "After-tax room", "Made",
                   "Left"], [[p["plan"], p["kind"], p["deferrals"], p["catch_up"], p["employer_contributions"],
                              p["cap"], p["room"], p["made"], p["left"]] for p in room["plans"]],
                  (14, 8, 11, 10, 11, 11, 12, 11, 12), right=(2, 3, 4, 5, 6, 7, 8))
        doc.para("The year's limits:")
        for limit in room["limits"]:
            doc.bullet(f"{limit['title']}: {limit['amount']} {_refs(limit['refs'])}")
        doc.para("How it was figured:")
        for index, step in enumerate(room["steps"], start=1):
            doc.para(f"{index}. {step['description']} - {step['rule_title']} {_refs(step['refs'])}")
    timing = c["timing"]
    if timing:
        doc.heading("Conversion timing")
        doc.para(f"Opening basis {timing['opening']}, contributed {timing['contributed']} this year.")
        doc.table(["Converted on", "Amount", "Basis", "Earnings", "Days waited", "Form"],
                  [[x["date"], x["amount"], x["basis"], x["earnings"], str(x["days"]), x["form"]]
                   for x in timing["conversions"]], (18, 17, 17, 16, 14, 18), right=(1, 2, 3, 4))
        doc.bullet(f"Still unconverted on December 31: {timing['unconverted']}"
                   + (f" (plus {timing['unconverted_earnings']} of earnings, taxable when converted)"
                      if timing["unconverted_earnings"] else ""))
        doc.bullet(f"Taxable earnings converted this year: {timing['taxable']}")
        if timing["estimated_tax"]:
            doc.bullet(f"Estimated tax on them at {timing['rate']}: {timing['estimated_tax']}; converting each "
                       f"contribution at once would have saved {timing['saved']}")
        doc.bullet(f"After-tax money waited {timing['average_days']} days on average before conversion (or year end)")
        doc.table(["Date", "Event", "Amount", "Unconverted after"],
                  [[p["date"], p["event"], p["amount"], p["unconverted"]] for p in timing["timeline"]],
                  (22, 30, 24, 24), right=(2, 3))
        for index, step in enumerate(timing["steps"], start=1):
            doc.para(f"{index}. {step['description']} - {step['rule_title']} {_refs(step['refs'])}")
    if c["has_forms"]:
        doc.heading("This year's Form 1040 entries")
        for line in c["lines"]:
            doc.bullet(f"Line {line['key']} ({line['label']}): {line['amount']}")
    doc.heading("Carried forward to next year")
    if not c["recorded"]:
        doc.para(f"Nothing is recorded for {c['tax_year']} yet: these are the balances the ledger carries into it.")
    for f in c["forward"]:
        doc.bullet(f"{f['title']}: {f['amount']}")
    if c["bibliography"]:
        _sources(doc, c["bibliography"])
    return bytes(doc.output())
