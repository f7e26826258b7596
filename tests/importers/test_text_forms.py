"""The label-based parser on synthetic page grids: layouts, blanks, and values it must refuse
to guess."""

from __future__ import annotations

from megaroth.importers.text_forms import Grid, form_values, parse_page


def parse(text: str):
    forms, note = parse_page(Grid(page=1, lines=text.strip("\n").splitlines()))
    return [form_values(form) for form in forms], note


KEY_VALUE = """
2025 Form 1099-R
Payer: Example Plan
Box 1   Gross distribution ..................... $10,200.00
Box 2a  Taxable amount .........................
Box 4   Federal income tax withheld ............ $0.00
Box 5   Employee contributions ................. $10,200.00
Box 7   Distribution code(s) ................... 7, B
"""


def test_key_value_lines_and_a_blank_box_2a():
    [(values, fields, problems)], note = parse(KEY_VALUE)
    assert problems == [] and note is None
    assert values["box_1"] == "$10,200.00" and values["box_7"] == "7B"
    assert "box_2a" not in values  # printed label with nothing after it: blank, never 0
    assert values["payer_name"] == "Example Plan"
    assert "Gross distribution" in fields["box_1"]


def test_an_amount_that_cannot_be_read_is_refused():
    [(values, _, problems)], _ = parse(KEY_VALUE.replace("$10,200.00", "$1O,2OO.OO", 1))
    assert "box_1" not in values
    assert any(p.startswith("box_1:") and "not an amount" in p for p in problems)


def test_missing_box_1_value_and_missing_code_label():
    text = KEY_VALUE.replace("$10,200.00", "", 1).replace("Box 7   Distribution code(s) ................... 7, B", "")
    [(values, _, problems)], _ = parse(text)
    assert any(p.startswith("box_1:") and "no value found" in p for p in problems)
    assert any(p.startswith("box_7:") and "not found" in p for p in problems)


def test_a_summary_page_is_not_a_form():
    forms, note = parse("""
Summary of your 2025 retirement distributions
Total gross distributions ............................ $16,200.00
""")
    assert forms == [] and "not a form" in note


def test_a_page_without_a_1099r():
    forms, note = parse("Instructions for Recipient\nGenerally, distributions are reported on Form 1099-R.")
    assert forms == [] and "no 1099-R" in note


TWO_UP = """
Form 1099-R 2025                                  Form 1099-R 2025
1 Gross distribution                              1 Gross distribution
$5,000.00                                         $7,000.00
2a Taxable amount                                 2a Taxable amount
$5,000.00                                         $700.00
5 Employee contributions                          5 Employee contributions
                                                  $6,300.00
7 Distribution code(s)                            7 Distribution code(s)
7                                                 G
"""


def test_two_forms_side_by_side():
    forms, _ = parse(TWO_UP)
    assert [(v.get("box_1"), v.get("box_2a"), v.get("box_5"), v.get("box_7")) for v, _, _ in forms] == [
        ("$5,000.00", "$5,000.00", None, "7"), ("$7,000.00", "$700.00", "$6,300.00", "G")]


TABLE = """
2024 Form 1099-R                      Recipient's TIN: ***-**-1111
Account number   Gross distribution   Taxable amount   Distribution code   IRA/SEP/SIMPLE   Federal income tax withheld
A-1              1,000.00             1,000.00         7                   X                100.00
A-2              2,000.00             200.00           G                                    0.00
A-3              3,000.00                              1
"""


def test_a_table_with_a_row_per_form():
    forms, _ = parse(TABLE)
    got = [(v.get("account_number"), v.get("box_1"), v.get("box_2a"), v.get("box_7"), v.get("box_7_ira_sep_simple"),
            v.get("box_4"), v.get("recipient_tin")) for v, _, _ in forms]
    assert got == [
        ("A-1", "1,000.00", "1,000.00", "7", True, "100.00", "***-**-1111"),
        ("A-2", "2,000.00", "200.00", "G", None, "0.00", "***-**-1111"),
        ("A-3", "3,000.00", None, "1", None, None, "***-**-1111"),
    ]


IRS_LAYOUT = """
                                     VOID      X CORRECTED
PAYER'S name, street address, city or town     1  Gross distribution       OMB No. 1545-0119
country, ZIP or foreign postal code
 Example Plan                                  $    8,000.00
 1 Main Street                                 2a  Taxable amount          2023
                                               $                           Form  1099-R
                                               2b  Taxable amount              Total
                                                    not determined  X          distribution
                                               7  Distribution         IRA/
                                                  code(s)              SEP/
                                                                       SIMPLE
                                                  G
"""


def test_irs_layout_with_checked_boxes():
    [(values, _, problems)], _ = parse(IRS_LAYOUT)
    assert problems == []
    assert values["corrected"] is True and "void" not in values
    assert values["box_2b_taxable_not_determined"] is True
    assert "box_2b_total_distribution" not in values and "box_7_ira_sep_simple" not in values
    assert "box_2a" not in values
    assert values["box_7"] == "G" and values["box_1"] == "8,000.00"
    assert values["payer_name"] == "Example Plan" and values["payer_address"] == "1 Main Street"


def test_tax_year_from_the_title():
    forms, _ = parse(KEY_VALUE)
    assert forms
    parsed, _ = parse_page(Grid(page=1, lines=KEY_VALUE.strip("\n").splitlines()))
    assert parsed[0].tax_year == 2025
    parsed, _ = parse_page(Grid(page=1, lines=IRS_LAYOUT.strip("\n").splitlines()))
    assert parsed[0].tax_year == 2023
