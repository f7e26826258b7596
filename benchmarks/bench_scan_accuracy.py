"""How many scanned and photographed Forms 1099-R and 5498 megaroth reads entirely right, how many
boxes it asks about, and whether it ever takes a wrong value (it must not): issue 21's measure.

Not a test: run it by hand and read the table.

    python benchmarks/bench_scan_accuracy.py            # 22 Forms 1099-R + 6 Forms 5498, 5 images each
    python benchmarks/bench_scan_accuracy.py --quick    # 4 + 2 forms, 2 images each (~30 s)
    python benchmarks/bench_scan_accuracy.py --dump results.jsonl   # every box of every page
    python benchmarks/bench_scan_accuracy.py --forms f              # the Forms 5498 alone (r: the 1099-Rs)

The set is independent of the tests' three 1099-R cases: seeded (`--seed`, 2025 by default) and
reproducible, the real IRS 2025 Form 1099-R filled (tests/realforms/irs_fill.py) with 22 cases
(distribution codes G, 2, 7, 1, B, H, 4, 8, P, J and pairs 4G, 1B, 7B, 2B, 1P, JP, 7D, G4, 4H; the
IRA/SEP/SIMPLE box; the 2b boxes; box 4 withholding; box 5 basis; amounts small, large, with and
without thousands' commas, zero cents; account numbers of several shapes or none) and the Form 5498
on the IRS grid as fixtures/pdf/make_5498_pdfs.py prints it (no IRS 5498 PDF is kept) with 6 cases
(rollover, contributions, conversion, SEP, SIMPLE, recharacterization; each kind of IRA checked).
Each form is made into images (tests/realforms/scan_images.py, photo_images.py):

    CLEAN     300 dpi gray PNG, 200 dpi gray PNG, 200 dpi JPEG q85, turned 1-2° on the glass
    ORDINARY  150 dpi PNG, 200 dpi JPEG q50-60, 1-bit 200 dpi, fax (1-bit, speckle), mild blur,
              turned 3-5°, phone photo (perspective, uneven light, darker table), page turned 90/180°

each form in 2 clean and 3 ordinary ways, chosen in turn so that every way gets its share. The
expected values are the ones filled in, never what megaroth read. A box is RIGHT when megaroth
holds the filled value (a blank box held blank), ASKED when it is awaiting confirmation or the
form is refused, WRONG when megaroth holds anything else; a form is entirely right when all its
boxes are right and nothing is asked or refused. Time: megaroth's whole read of the page's file.

Boxes measured, 1099-R: 1, 2a, 3, 4, 5, 7, the IRA/SEP/SIMPLE box, both 2b boxes, the account
number, the payer's and the recipient's TINs; 5498: 1-6, 8-10, the kind of IRA in box 7, the
account number, the participant's TIN.

Measured on the project's 2-core machine (shared with other work: CPU seconds are given beside
the wall time), seed 2025, 140 pages (56 clean, 84 ordinary):

    category   forms entirely right   boxes right / asked / WRONG   s/page median (CPU)
    before (commit 79bbee2, Tesseract 5.3.0):
    CLEAN      30/56  54%             556 / 148 / 4                 1.11
    ORDINARY   23/84  27%             631 / 423 / 8                 1.26
    second readings (commit 99567bb):
    CLEAN      32/56  57%             565 / 143 / 0                 1.42 (1.35)
    ORDINARY   25/84  30%             672 / 390 / 0                 1.60 (1.47)
    after ("Z"/"2" by shape, the 5498's year as the IRS prints it, box 7 by its code alphabet,
    a speck beside a 5498 box 7 label; main at commit c7acafc):
    CLEAN      46/56  82%             652 /  56 / 0                 1.36 (1.37)
    ORDINARY   38/84  45%             763 / 299 / 0                 1.47 (1.47)

    after (box 7's code, and amounts and TINs not confirmed, read from their glyphs alone six ways;
    an account number's "Z"/"2" shapes asked too; the faxed year's crop widened; commit of this
    docstring):
    CLEAN      48/56  86%             676 /  32 / 0                 1.56 (1.56)
    ORDINARY   53/84  63%             933 / 129 / 0                 1.86 (1.86)
    the same, seed 7 (`--seed 7`; the Forms 1099-R alone before -> after: CLEAN 39 -> 39 of 44,
    ORDINARY 40 -> 53 of 66, pages with a WRONG box 2 -> 0):
    CLEAN      47/56  84%             686 /  21 / 1                 1.74 (1.74)
    ORDINARY   56/84  67%             915 / 146 / 1                 2.18 (2.18)
    (seed 7's two WRONG boxes are one Form 5498's box 5 held blank, f1 at 200 dpi and blurred, as
    c7acafc holds it too: the 5498's reading is not changed here.)

    forms entirely right by way, seed 2025, Forms 1099-R and 5498, before -> after this commit:
    300 dpi 14 -> 14 (14), 200 dpi 11 -> 11 (14), JPEG q85 13 -> 13 (14), turned 1-2° 8 -> 10 (14);
    150 dpi 3 -> 6 (11), JPEG q50-60 8 -> 8 (11), 1-bit 7 -> 7 (11), fax 2 -> 5 (11), blur 2 -> 6
    (10), turned 3-5° 5 -> 6 (10), photo 3 -> 7 (10), turned 90/180° 8 -> 8 (10). Worst page 4.3 s
    (seed 7: 6.5 s). The Forms 1099-R alone: CLEAN 38 -> 40 of 44, ORDINARY 36 -> 51 of 66.

    forms entirely right by way, second readings -> c7acafc (pages): 300 dpi 8 -> 14 (14), 200 dpi
    9 -> 11 (14), JPEG q85 10 -> 13 (14), turned 1-2° 5 -> 8 (14); 150 dpi 1 -> 3 (11), JPEG
    q50-60 6 -> 8 (11), 1-bit 6 -> 7 (11), fax 2 -> 2 (11), blur 2 -> 2 (10), turned 3-5° 2 -> 5
    (10), photo 0 -> 3 (10), turned 90/180° 6 -> 8 (10). Worst page 3.4 s before, 3.2 s after.

The 12 wrong values before the second readings: box 7's "1" taken as "4" (read at 96%); five
account numbers whose "Z" was taken as "2" (at 60-87%); four Forms 5498 whose SEP or SIMPLE
amount (box 8, 9) was held blank (given to the address caption beside it), a 5498 turned 1.8°
whose TIN and a faxed one whose account number were held blank. None is taken since.

What moved after: account numbers right on 99 of 140 pages (65 before), on 23 of the 35 with a
"Z" (none before): the engine reads this font's "Z" and "2" for each other, sure of either, so
each is now told by its glyph's shape (importers/scan_glyph.py: a straight top bar across the
whole glyph and a wider glyph; touching glyphs cut apart), the other characters confirmed by
readings with those glyphs whitened. The 5498 generator printed "2025" over the title's lines
(no IRS form does; 12 forms refused for it): it now prints the year in large type over "Form
5498" in their own cell, as the IRS form does; its year is read on every 5498 page but two
(a blurred one where nothing under the captions is read, one turned 3-5° not recognised). Box 7's code
not confirmed is read again with only the year's code characters allowed (a "P" read "p").

What moved with the glyph readings (importers/scan_code.py): box 7's code is cut out by its
strokes (a letter's height, the caption and rules and specks left out), enlarged to 40-pixel
letters and read six ways (as it is, sharpened, despeckled; gray and black and white) with only
the year's code characters allowed; taken when two read it CONFIDENTly and none reads anything else
at 50% or more (on both seeds' 220 Form 1099-R pages: 208 codes read so, none wrong; at 30 pixels
the same crops read a "1" as "4" at 92-96%). An amount the page read but no second reading
confirmed, or inked but unread (a blur), is read the same way (digits, "." and ","; its commas'
tails kept) and taken only on the page's digits or, unread, when no reading doubts it; a TIN the
second readings did not confirm likewise, only on the page's digits. Seed 7 had
two WRONG 1099-R boxes on main: "225-914672" for "Z25-914672" (every reading read the touching
"Z2" as "2"; now taken only when no "Z"/"2" glyph's shape says the other letter and the glyphs are
cut one a character), and a blurred account number read nothing and held blank (now asked, as are
TINs inked but unread). Faxed pages of seed 7 were refused for the year: its crop cut the "5" of
"2025" ("202"); widened and read despeckled, it reads.

What is still short (after this commit, Forms 1099-R): a lone "P" in box 7 (read "Pp"/"p" by the
page and nothing by its glyph readings: 5 pages over both seeds); a "1" the page reads "4" at 96%
while crops read "1" (asked, as a disagreement); account numbers with a "Z" (the whitened rest read
under 85%) and "401K-…" at 150 dpi (read at 0%); some TINs on faxes; box 1 of a page turned
1-2° read at 16%.

What was still short (before this commit): box 7 of blurred, faxed, photographed and turned 1099-Rs (17 forms
refused: the lone code letter read at 20-65%, or the page's and the crop's readings differ, "4"
and "1"; sharpening the crop lifted one of five blurred codes above 85%, not tried further); account numbers (12 "Z" pages: glyphs the cut
cannot part or the whitened rest read under 85%; "401K-…" at 150 dpi read at 0%); Forms 5498
whose box 8 caption ("8 SEP contributions", 6-point, beside box 7's labels) is not read on
1-bit, turned and photographed pages (asked); payer TINs at 150 dpi (asked).

The Forms 5498 (30 of the pages; `--forms f`), read by the form's grid (importers/scan_5498_grid.py:
the cells of forms/f5498_layout.toml [grid] fitted to the captions read), a page turned 3-5° turned
straight by its ruled lines (scan_5498_turned.py), values confirmed from their whole cell, a fax's
specks taken out of its crops (commit of this note):

    forms entirely right      seed 2025 before -> after        seed 7 before -> after
    CLEAN     (12 pages)      8 -> 12  (100%)                 8 -> 12  (100%)
    ORDINARY  (18 pages)      2 -> 16  (89%)                  3 -> 16  (89%)
    pages with a WRONG box    0 -> 0                          2 -> 0
    boxes right / asked       354 / 96 -> 448 / 2             344 / 104 -> 448 / 2
    s/page median (worst)     1.27 -> 1.60 (2.86)             1.20 -> 1.48 (2.63)

    all 140 pages, seed 2025 (the 1099-Rs unchanged: 74 of 110 entirely right, as before):
    CLEAN      46/56 82% -> 50/56 89%      boxes 652 /  56 / 0 -> 658 /  50 / 0
    ORDINARY   38/84 45% -> 52/84 62%      boxes 763 / 299 / 0 -> 851 / 211 / 0
    median 1.84 s (CPU 1.69 clean, 1.88 ordinary) -> 1.76 s (CPU 1.61, 1.83), worst 4.34 -> 4.56 s

(seed 7 before: the same pages read by the commit this work started from, outside the benchmark.)

Both merged, with a form whose box 1 or 7 is in doubt kept off the return and asked rather than refused
(its other boxes now read and counted), seed 2025, 140 pages, on a quiet machine (main after the merge):

    CLEAN      52/56  93%             704 /   4 / 0                 1.66 (1.66)
    ORDINARY   67/84  80%            1043 /  19 / 0                 2.02 (2.01)
    by way: 300 dpi 14 (14), 200 dpi 12 (14), JPEG q85 13 (14), turned 1-2° 13 (14); 150 dpi 8 (11),
    JPEG q50-60 9 (11), 1-bit 9 (11), fax 8 (11), blur 7 (10), turned 3-5° 8 (10), photo 9 (10),
    turned 90/180° 9 (10). Median 1.82 s a page, worst 4.71 s. Still asked: account numbers on 13 pages
    (a "Z" read as "2" with the rest under 85%; "401K-…" at 150 dpi at 0%), box 7's "P" read "Pp"/"p"
    (2), "4" against "1" (1), box 1 of a page turned 1-2° at 16%, TINs on faxes and a photo (4), a
    5498's blurred TIN.

Before, box 8 ("8 SEP contributions", 6-point beside box 7's labels) was asked on 1-bit, turned,
photographed and JPEG pages (its caption not read: the grid now places it), box 7's kind asked when its
labels were not read (its squares are now measured where the grid puts them), a page turned 4.9° was
"not a known form", and seed 7 held box 5 blank on two pages (WRONG): "347109.14" right-aligned against
the cell's rule was read "347109.14|$", no amount (now parted at the rule; and with the grid, digits read
in a cell that no box took are asked, a value read outside its box's cell is asked). Blurred pages lost
an amount's first digits in the page's word ("1,642.14" of "41,642.14") and the crop cut to that word read
the same: second readings now crop the whole cell, and the longer amount is taken only when two of them
read it at 85%. A TIN the blurred page did not read at all is taken when three readings of its cell are
alike, two at 85%. Still asked (after): a fax's box 2 read alike by one crop only, a blurred TIN whose
gray reading read "XXX" as "000", box 5 at 150 dpi read "707223.37" and "107223.37", an account number
at 1-bit read alike at 75% (one page each). Seed 11, a third check: 28 of 30, none wrong.

Each character's confidence, a lone code drawn three times, a TIN's dashes (branch acc; main at
commit 9d879f0 before), 140 pages each seed:

    forms entirely right       seed 2025 before -> after          seed 7 before -> after
    CLEAN     (56 pages)       52 (93%) -> 54 (96%)               51 (91%) -> 56 (100%)
    ORDINARY  (84 pages)       67 (80%) -> 80 (95%)               69 (82%) -> 76 (90%)
    boxes right / asked        1747 / 23 -> 1762 / 8              1748 / 22 -> 1762 / 8
    pages with a WRONG box     0 -> 0                             0 -> 0
    s/page median (CPU)        1.99 (1.68, 2.10) -> 1.69 (1.53, 2.12)   4.37* (1.56, 2.00) -> 1.88 (1.66, 2.12)
    by way, seed 2025 after: 300 dpi 14 (14), 200 dpi 14 (14), JPEG q85 13 (14), turned 1-2° 13 (14);
    150 dpi 11 (11), JPEG q50-60 11 (11), 1-bit 11 (11), fax 10 (11), blur 8 (10), turned 3-5° 10
    (10), photo 9 (10), turned 90/180° 10 (10). Worst page 5.3 s (seed 7: 5.4 s).
    (* seed 7 before was measured while other work loaded the machine: its CPU seconds compare.)
    Merged into main with the box's second readings in one start of the engine (scan_image.ocr_many),
    the machine otherwise idle: seed 2025 the same counts, median 1.55 s clean, 1.87 s ordinary, 1.68 s
    all, worst 5.4 s; seed 7 the same counts, 1.60 / 1.93 / 1.80 s, worst 3.6 s.

A page turned on the glass levelled from its pixels before the engine reads it (scan_geometry.levelled:
the projection profile of its rules, to 1/40°), a sideways page stood up first (lies_sideways, then the
engine's orientation detection): read once instead of twice. The turned test pages were drawn by
turning the 200 dpi image with Pillow, and megaroth, turning them back to within 1/40°, undid that
exactly: a double resampling no scanner makes, which alone left account numbers asked (read 1/40° off,
right). They are now drawn turned by pdfium (scan_images.turned), sampled once. Main at 22d8a36 against
this change on those pages (turned 1-2°, 3-5°, 90/180°, 34 pages a seed):

    forms entirely right       seed 2025 old -> new     seed 7 old -> new
    turned pages (34)          32 -> 31                 32 -> 32
    boxes asked                5 -> 3                   2 -> 2
    s/page median              2.59 -> 1.93             2.51 -> 1.92
    straight pages, alternated runs: 1.41 -> 1.43 s (the measure costs 0.03 s on a level page)

The whole set after (both seeds, idle machine): seed 2025 CLEAN 53/56 (95%), ORDINARY 79/84 (94%),
1760 / 10 / 0 boxes, median 1.69 / 1.93 / 1.78 s, worst 6.3 s (f4-SEP faxed); seed 7 CLEAN 55/56 (98%),
ORDINARY 75/84 (89%), 1760 / 10 / 0, median 1.69 / 1.91 / 1.81 s, worst 2.8 s. Still asked on turned
pages: account numbers (read alike, not confidently enough), one box 7 and one box 2a.

The Form 5498 grid's search refitting each set of captions once (scan_5498_grid._agreeing; the same
grid): f4-SEP faxed 6.3 s -> 2.3 s. Main after both changes, idle machine, every page's outcome the
same as above: seed 2025 median 1.55 / 1.76 / 1.69 s (clean / ordinary / all), worst 3.4 s (a page
upside down: read, asked its orientation, read again); seed 7 1.45 / 1.67 / 1.60 s, worst 2.6 s.

A crop's rule split over two gray rows (a page turned level, or scanned between two rows) or cut to
one gray row at the crop's edge whitened as a rule (scan_confirm.unruled): it was read as junk after
an account number ("Z76-174502 toe a"). Every page's outcome against the run above: seed 2025 four
forms right that were asked (three account numbers, a Form 5498's TIN), one asked that was right
(an account number, mild blur): CLEAN 54/56 (96%), ORDINARY 80/84 (95%), 1762 / 8 / 0, median 1.52 /
1.83 / 1.68 s, worst 3.5 s; seed 7 one right that was asked, two asked that were right (account
numbers on pages turned 1-2°): CLEAN 54/56 (96%), ORDINARY 75/84 (89%), 1759 / 11 / 0, median 1.50 /
1.74 / 1.65 s, worst 2.8 s. Net +2 forms of 280, none wrong: the account numbers of turned pages sit
at the confidence bar, and a change of their crops moves a few either way.

What moved. Account numbers (importers/scan_chars.py): the engine's confidence in a word is not its
least sure character's: "Z92-951607" read "Z292-…" at 41-43% by every crop, each character but the
"Z" at 98-99%; "'401K-19487" at 0% for a speck, each of its characters at 98%. The characters'
confidences are in the engine's hOCR (hocr_char_boxes); an account number every reading (the page's
and four crops', at any confidence) reads alike, one character a glyph (scan_glyph; a "Z"/"2" by its
shape, a "Z" read as two characters counted once), is taken when two of four readings read each of
its other characters at 97% or more and none reads other characters (one reading otherwise refuses
it). The bar: a faxed TIN's "5" was read "6" at 90% and a "1" "4" at 95% (each refused by the other
readings), a photographed box's rule "1" at 85-89%; 114 of 117 account numbers of both seeds had two
readings at 97%. A box's rule inside a photographed crop (1-2 px wide at the value's end) is no
glyph (scan_glyph.THIN). Box 7's lone letter (scan_code.repeated): a clean "P" read alone as
nothing, "J" or "DB", and by the page "Pp"; its glyph drawn three times in a row reads "PPP" at
94-96%, taken when every copy reads alike as box 7's glyph readings are. Box 7's "1" the page read
"4" at 96%: overruled only when every second reading that reads anything reads the glyphs' code, one
CONFIDENTly, and the glyphs read alone and drawn thrice both agree on it (r04: 3 crops and 12 glyph
readings "1" at 88-97%). TINs: a mark on a TIN's dash ("XXX+XX-2895", "XXX:XX-2895" on a fax) is its
dash (the dashes' places are fixed; no digit changed); a TIN every reading reads alike but not
CONFIDENTly as a word ("20-341 7890" at 150 dpi) confirmed by its characters as an account number
is. The 5498's account number read alike by its crops at 75% ("IRA-933-5949", 1-bit) likewise,
never one with a "Z" or a "2".

Tried and dropped: an account number the page read nothing of (a blur) read from the glyphs in its
box: the blur merges glyphs, never one a character (0 of 3 pages of seeds 2025, 7, 11); the
characters' bar at 90% (above).

Still asked, seed 2025: account numbers blurred unread (r05), with a "5" beside a "Z" read at 92-95%
(r08 JPEG q85), with a photographed rule read "1" by two crops (r13); box 1 of a page turned 1-2°
("2680.70" at 16% for 22,680.70, the glyphs "22680.70": not the page's digits); a fax's box 2a
"9.00" and payer TIN "19-9565881" (the page and crops read a "6" for the "5" the glyphs read); a
photographed payer TIN read "411-…" by the page; a 5498's blurred TIN. Seed 7: TINs on faxes (a "1" one crop reads "4", crops that read
"XXX" as "YOO"), a fax's account number "Z55-…" (one crop reads the "Z" "7") and a blurred one
unread, a photographed account number read alike at 79%, a fax's box 2a "1,931,619,34", two
5498 amounts (a fax's box 2 at 61%, box 5 at 150 dpi at 36%). Seed 7 by way after: 300 dpi 14,
200 dpi 14, JPEG q85 14, turned 1-2° 14 (of 14 each); 150 dpi 10 (11), JPEG q50-60 11 (11),
1-bit 11 (11), fax 6 (11), blur 9 (10), turned 3-5° 10 (10), photo 9 (10), turned 90/180° 10 (10).
Seed 11 (account numbers, TINs and box 7 of its 110 Form 1099-R pages read outside the benchmark):
none wrong.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from megaroth.importers.base import Document  # noqa: E402
from megaroth.importers.scan_1099r import extract  # noqa: E402
from tests.realforms.irs_fill import fill  # noqa: E402
from tests.realforms.photo_images import photograph  # noqa: E402
from tests.realforms.scan_images import render  # noqa: E402

BOXES_1099R = ("box_1", "box_2a", "box_3", "box_4", "box_5", "box_7", "box_7_ira_sep_simple",
               "box_2b_taxable_not_determined", "box_2b_total_distribution", "account_number", "payer_tin",
               "recipient_tin")
CHECKS_1099R = {"box_7_ira_sep_simple", "box_2b_taxable_not_determined", "box_2b_total_distribution"}
MONEY_5498 = ("1", "2", "3", "4", "5", "6", "8", "9", "10")
KINDS_5498 = {"IRA": "box_7_ira", "SEP": "box_7_sep", "SIMPLE": "box_7_simple", "Roth IRA": "box_7_roth_ira"}

CLEAN = {
    "300 dpi PNG": lambda rng: {"dpi": 300},
    "200 dpi PNG": lambda rng: {"dpi": 200},
    "200 dpi JPEG q85": lambda rng: {"dpi": 200, "jpeg": 85},
    "turned 1-2°": lambda rng: {"dpi": 200, "angle": rng.choice((-1, 1)) * rng.uniform(1, 2)},
}
ORDINARY = {
    "150 dpi PNG": lambda rng: {"dpi": 150},
    "JPEG q50-60": lambda rng: {"dpi": 200, "jpeg": rng.randint(50, 60)},
    "1-bit 200 dpi": lambda rng: {"dpi": 200, "mode": "1"},
    "fax 1-bit speckle": lambda rng: {"dpi": 200, "mode": "1", "noise": 0.006, "seed": rng.randrange(1000)},
    "mild blur": lambda rng: {"dpi": 200, "blur": rng.uniform(0.8, 1.2)},
    "turned 3-5°": lambda rng: {"dpi": 200, "angle": rng.choice((-1, 1)) * rng.uniform(3, 5)},
    "phone photo": lambda rng: {"photo": True, "corners": [(rng.uniform(0.02, 0.08), rng.uniform(0.01, 0.05))
                                                           for _ in range(4)],
                                "light": rng.choice(("gradient", "shadow")), "table": rng.randint(50, 90),
                                "jpeg": rng.randint(80, 90)},
    "turned 90/180°": lambda rng: {"dpi": 200, "turn": rng.choice((90, 180, 270))},
}
CATEGORIES = {"CLEAN": CLEAN, "ORDINARY": ORDINARY}

PAYERS = ["FIDELITY MANAGEMENT TRUST CO\n245 SUMMER ST BOSTON MA 02210",
          "VANGUARD FIDUCIARY TRUST CO\nPO BOX 2600 VALLEY FORGE PA 19482",
          "EMPOWER TRUST CO\n8515 E ORCHARD RD GREENWOOD VILLAGE CO 80111",
          "SCHWAB RETIREMENT PLAN SERVICES\n211 MAIN ST SAN FRANCISCO CA 94105",
          "T ROWE PRICE TRUST CO\n4515 PAINTERS MILL RD OWINGS MILLS MD 21117",
          "PRINCIPAL LIFE INSURANCE CO\n711 HIGH ST DES MOINES IA 50392"]
PEOPLE = ["JANE Q SAMPLE", "ROBERT T EXAMPLE", "MARIA L TESTCASE", "WEI CHEN", "AISHA N OKAFOR", "JOHN P DOE",
          "LUCIA M ROSSI", "SAM K PATEL"]
# (code, IRA/SEP/SIMPLE box, 2b not determined, 2b total, boxes filled): the cases of a backdoor and a
# mega backdoor Roth and the distributions beside them (codes and pairs of the 2025 Table 1).
CASES_1099R = [
    ("G", False, False, False, ("1", "2a0", "5")), ("2", True, True, False, ("1", "2a=")),
    ("7", False, False, False, ("1", "2a", "4", "5")), ("1", False, False, False, ("1", "2a=", "4")),
    ("B", False, False, False, ("1", "2a", "5")), ("H", False, False, False, ("1", "2a0")),
    ("4G", False, False, False, ("1", "2a0")), ("8", False, False, False, ("1", "2a=")),
    ("P", False, False, False, ("1", "2a=")), ("J", True, True, False, ("1",)),
    ("7", True, False, True, ("1", "2a=", "4")), ("1B", False, False, False, ("1", "2a", "4", "5")),
    ("7B", False, False, True, ("1", "2a0", "5")), ("2B", False, False, False, ("1", "2a", "5")),
    ("G", False, False, True, ("1", "2a0")), ("2", True, True, False, ("1", "2a=", "4")),
    ("7", False, False, False, ("1", "2a", "3", "4")), ("1P", False, False, False, ("1", "2a=")),
    ("JP", True, False, False, ("1", "2a=")), ("7D", False, False, False, ("1", "2a", "5")),
    ("G4", False, False, False, ("1", "2a0")), ("4H", False, False, False, ("1", "2a0", "4")),
]


def _amount(rng: random.Random, low: int, high: int, commas: bool) -> tuple[str, int]:
    """An amount in cents between low and high dollars, printed with or without thousands' commas;
    a fifth with zero cents."""
    cents = rng.randint(low * 100, high * 100)
    if rng.random() < 0.2:
        cents -= cents % 100
    return (f"{cents / 100:,.2f}" if commas else f"{cents // 100}.{cents % 100:02d}"), cents


def _money(cents: int, commas: bool) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}" if commas else f"{cents // 100}.{cents % 100:02d}"


def forms_1099r(rng: random.Random) -> list[tuple[str, dict, dict]]:
    """(name, the roles filled, the values expected as megaroth holds them)."""
    out = []
    for n, (code, ira, undetermined, total, boxes) in enumerate(CASES_1099R):
        commas = rng.random() < 0.7
        size = rng.choice(("small", "medium", "large", "medium"))
        low, high = {"small": (0, 99), "medium": (1_000, 69_000), "large": (100_000, 2_500_000)}[size]
        text, gross = _amount(rng, low, high, commas)
        values: dict[str, object] = {
            "payer_block": rng.choice(PAYERS), "payer_tin": f"{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}",
            "recipient_tin": rng.choice((f"XXX-XX-{rng.randint(0, 9999):04d}", f"400-00-{rng.randint(0, 9999):04d}")),
            "recipient_name": rng.choice(PEOPLE), "box_1": text, "box_7": code}
        account = rng.choice(("", f"Z{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
                              f"{rng.randint(1000, 9999)}-{rng.randint(10000, 99999)}", f"{rng.randint(10**7, 10**8 - 1)}",
                              f"401K-{rng.randint(10000, 99999)}"))
        if account:
            values["account_number"] = account
        if "2a0" in boxes:
            values["box_2a"] = "0.00"
        elif "2a=" in boxes:
            values["box_2a"] = text
        elif "2a" in boxes:
            values["box_2a"] = _money(rng.randint(gross // 2, gross), commas)
        if "3" in boxes:
            values["box_3"] = _money(rng.randint(0, gross // 10), commas)
        if "4" in boxes:
            values["box_4"] = _money(gross // rng.choice((5, 10, 4)), commas) if rng.random() < 0.8 else "0.00"
        if "5" in boxes:
            values["box_5"] = _money(rng.randint(0, gross // 3) if gross else 0, commas)
        if ira:
            values["box_7_ira_sep_simple"] = True
        if undetermined:
            values["box_2b_taxable_not_determined"] = True
        if total:
            values["box_2b_total_distribution"] = True
        expected = {box: values.get(box, False if box in CHECKS_1099R else None) for box in BOXES_1099R}
        for box in ("box_1", "box_2a", "box_3", "box_4", "box_5"):
            if expected[box] is not None:
                expected[box] = expected[box].replace(",", "")
        expected["account_number"] = account or None
        out.append((f"r{n + 1:02d}-{code}", values, expected))
    return out


TRUSTEES = [["EXAMPLE BROKERAGE TRUST CO", "500 Sample Plaza", "Boston, MA 02101"],
            ["SAMPLE BANK NA AS CUSTODIAN", "12 Harbor Road", "Portland, ME 04101"],
            ["MODEL INVESTMENTS TRUST", "PO Box 3300", "Omaha, NE 68103"]]
CASES_5498 = [("Roth IRA", ("2", "5", "10")), ("IRA", ("1", "5")), ("Roth IRA", ("3", "5")),
              ("SEP", ("8", "5")), ("SIMPLE", ("9", "5")), ("IRA", ("1", "4", "5"))]


def forms_5498(rng: random.Random) -> list[tuple[str, bytes, dict]]:
    """(name, the page's PDF, the values expected) for the Forms 5498 on the IRS grid."""
    kit = _kit()
    out = []
    with tempfile.TemporaryDirectory() as folder:
        for n, (kind, boxes) in enumerate(CASES_5498):
            commas = rng.random() < 0.8
            filled = {}
            for box in boxes:
                if box in ("1", "10"):
                    filled[box] = _money(rng.choice((700_000, 800_000, 650_000, rng.randint(10_000, 700_000))), commas)
                elif box == "5":
                    filled[box] = _amount(rng, 10, 900_000, commas)[0]
                else:
                    filled[box] = _amount(rng, 100, 69_000, commas)[0]
            account = rng.choice((f"R-{rng.randint(1000, 9999)}", f"{rng.randint(10**7, 10**8 - 1)}",
                                  f"IRA-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"))
            form = {"trustee": rng.choice(TRUSTEES), "trustee_tin": f"00-000{rng.randint(1000, 9999)}",
                    "participant_tin": f"XXX-XX-{rng.randint(0, 9999):04d}", "participant": rng.choice(PEOPLE),
                    "street": f"{rng.randint(1, 999)} Example Street", "city": "SPRINGFIELD, IL 62704",
                    "account": account, "year": "2025", "boxes": filled, "kind": kind}
            page = kit.Page()
            kit.irs_5498(page, form)
            pdf = kit.write_pdf(Path(folder) / f"f{n}.pdf", [page])
            expected = {f"box_{b}": filled[b].replace(",", "") if b in filled else None for b in MONEY_5498}
            expected.update({flag: name == kind for name, flag in KINDS_5498.items()})
            expected["account_number"] = account
            expected["participant_tin"] = form["participant_tin"]
            out.append((f"f{n + 1}-{kind.replace(' ', '')}", pdf, expected))
    return out


def _kit():
    import importlib.util

    folder = ROOT / "fixtures" / "pdf"
    sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location("make_5498_pdfs", folder / "make_5498_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def image(how: dict, values: dict | None = None, pdf: bytes | None = None) -> bytes:
    how = dict(how)
    if how.pop("photo", False):
        return photograph(values, pdf=pdf, **how)
    return render(values, pdf=pdf, **how)


def plan(rng: random.Random, quick: bool) -> list[tuple[str, str, dict, dict | None, bytes | None, dict]]:
    """The pages: (category, way, how, values filled, PDF, expected)."""
    r = forms_1099r(rng)
    f = forms_5498(rng)
    if quick:
        r, f = r[:4], f[:2]
    pages = []
    clean, ordinary = list(CLEAN), list(ORDINARY)
    for n, (name, values, expected) in enumerate([(a, b, c) for a, b, c in r] + [(a, None, c) for a, _, c in f]):
        pdf = None if values is not None else dict((a, b) for a, b, _ in f)[name]
        ways = [("CLEAN", clean[(2 * n + k) % len(clean)]) for k in range(1 if quick else 2)]
        ways += [("ORDINARY", ordinary[(3 * n + k) % len(ordinary)]) for k in range(1 if quick else 3)]
        for category, way in ways:
            how = CATEGORIES[category][way](rng)
            pages.append((category, way, name, how, values, pdf, expected))
    return pages


def judge(extraction, expected: dict) -> dict[str, tuple[str, object]]:
    """Each expected box: ("right" | "asked" | "wrong", what megaroth holds or asks)."""
    record = extraction.records[0] if len(extraction.records) == 1 else None
    out = {}
    for box, want in expected.items():
        if record is None or record.errors:
            why = "; ".join(record.errors) if record is not None else "; ".join(str(e) for e in extraction.errors)
            out[box] = ("asked", why[:160])
            continue
        if box in record.awaiting or (box.startswith("box_7_") and "box_7" in record.awaiting
                                      and record.form == "5498"):
            out[box] = ("asked", record.awaiting.get(box) or record.awaiting.get("box_7"))
            continue
        got = record.values.get(box)
        if isinstance(want, bool):
            got = bool(got)
        elif isinstance(got, str) and box.startswith("box_") and box != "box_7":
            got = got.replace(",", "")
        elif got is not None and not isinstance(got, str):
            got = str(got)
        out[box] = ("right" if got == want else "wrong", got)
    return out


def _cpu() -> float:
    """CPU seconds of this process and the engine's processes it waited for: the page's cost, less
    changed than the wall time by other work on a shared machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 Forms 1099-R and 2 Forms 5498, one image each way")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--dump", help="write every page's boxes (JSON lines) to this file")
    parser.add_argument("--only", help="only the ways whose name contains this")
    parser.add_argument("--forms", help="only the forms whose name starts with this (f: the Forms 5498, r: the 1099-Rs)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pages = plan(rng, args.quick)
    if args.only:
        pages = [p for p in pages if args.only in p[1]]
    if args.forms:
        pages = [p for p in pages if p[2].startswith(args.forms)]
    stats = {c: {"forms": 0, "right_forms": 0, "right": 0, "asked": 0, "wrong": 0, "seconds": [], "cpu": []}
             for c in CATEGORIES}
    by_way: dict[str, list[int]] = {}
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    for category, way, name, how, values, pdf, expected in pages:
        data = image(how, values, pdf)
        started, cpu = time.perf_counter(), _cpu()
        extraction = extract(Document(f"{name}.img", data))
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        boxes = judge(extraction, expected)
        counts = {k: sum(1 for s, _ in boxes.values() if s == k) for k in ("right", "asked", "wrong")}
        s = stats[category]
        s["forms"] += 1
        s["right_forms"] += counts["right"] == len(boxes)
        s["seconds"].append(seconds)
        s["cpu"].append(cpu)
        for k, v in counts.items():
            s[k] += v
        by_way.setdefault(f"{category:8} {way}", [0, 0, 0])
        by_way[f"{category:8} {way}"][0] += 1
        by_way[f"{category:8} {way}"][1] += counts["right"] == len(boxes)
        by_way[f"{category:8} {way}"][2] += counts["wrong"]
        flag = "ok" if counts["right"] == len(boxes) else ("WRONG" if counts["wrong"] else "asked")
        short = ", ".join(f"{b}{'!' if st == 'wrong' else '?'}" for b, (st, _) in boxes.items() if st != "right")
        print(f"{name:12} {way:18} {seconds:5.2f} s {cpu:5.2f} cpu  {flag:5} {short}", flush=True)
        if dump:
            dump.write(json.dumps({"form": name, "category": category, "way": way, "how": how, "seconds": seconds,
                                   "boxes": {b: [st, str(v)] for b, (st, v) in boxes.items()},
                                   "expected": {b: str(v) for b, v in expected.items()}}) + "\n")
    print(f"\n{'way':28} pages  forms right  pages with a WRONG box")
    for way, (n, right, wrong) in by_way.items():
        print(f"{way:28} {n:5} {right:6}       {wrong:5}")
    print(f"\n{'category':10} {'forms right':>14} {'boxes right / asked / WRONG':>30} {'s/page median':>14}"
          f" {'CPU s/page':>10}")
    for category, s in stats.items():
        if not s["forms"]:
            continue
        share = 100 * s["right_forms"] / s["forms"]
        print(f"{category:10} {s['right_forms']:4}/{s['forms']:<3} {share:4.0f}%  "
              f"{s['right']:10} / {s['asked']:5} / {s['wrong']:5}   {statistics.median(s['seconds']):10.2f}"
              f" {statistics.median(s['cpu']):10.2f}")
    every = [t for s in stats.values() for t in s["seconds"]]
    print(f"all pages: median {statistics.median(every):.2f} s, worst {max(every):.2f} s")


if __name__ == "__main__":
    main()
