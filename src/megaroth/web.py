"""`megaroth serve`: a local page (127.0.0.1 only) to upload 1099-Rs, answer the questions the
forms cannot carry, see the Form 1040 lines and the worksheet, and compare with tax software.

Built on Starlette (served by uvicorn): a small, well-kept ASGI toolkit whose multipart parsing
(python-multipart) bounds fields and files, and whose TestClient runs the page in-process in
tests. The standard library no longer parses multipart uploads (`cgi` is gone in 3.13).

Nothing leaves the machine and nothing is written to disk by megaroth: each browser session's
case lives in memory (a dict in this process, gone on exit); an upload larger than 1 MiB is
spooled by Starlette to a temporary file that is closed, and so removed, when the request ends.
A session idle for `IDLE_TIMEOUT_SECONDS` is dropped with its data (at the next request, or
by the sweep every `SWEEP_MS` while none comes), and at most `MAX_SESSIONS`
are held (the least recently used goes first); its browser then gets a page saying so. A request
body is counted while it streams in, so one over `MAX_REQUEST_BYTES` is refused at that point,
with or without a Content-Length (chunked), before Starlette has spooled it whole.
Every POST must come from this page: its Origin (or Referer) must be this server, and it must
carry the session's CSRF token. The Host header must be 127.0.0.1 or localhost (no DNS
rebinding). HTML is autoescaped; TINs are masked; the page uses no script at all.
"""

from __future__ import annotations

import asyncio
from importlib import resources
import contextlib
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from megaroth import api, questions as qs
from megaroth.errors import MegarothError, SeveralPeople, UsageError
from megaroth.limits import DEFAULT as DEFAULT_LIMITS
from megaroth.limits import MB, Limits

COOKIE = "megaroth_session"
MAX_FILES = 50
MAX_FILE_BYTES = 32 * MB
"""One uploaded file; a real 1099-R or Form 1040 PDF is well under 1 MiB."""
MAX_REQUEST_BYTES = 64 * MB
IDLE_TIMEOUT_SECONDS = 30 * 60
"""A session (its case, uploads and comparison) unused this long is dropped."""
MAX_SESSIONS = 32
"""Sessions held at once; a new one beyond this drops the least recently used."""
SWEEP_MS = 60_000
"""How often idle sessions are looked for while no request comes (milliseconds)."""
IRS_FORMS_ZIP = "irs-forms-{year}.zip"
EXPIRED = ("This page's session has ended: it was idle for more than {minutes} minutes, too many were open "
           "at once, or megaroth serve was restarted. Its case, uploads and comparison were forgotten; "
           "start again below.")
LOCAL_HOSTS = ("127.0.0.1", "localhost")
CSP = ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; "
       "form-action 'self'; frame-ancestors 'self'; base-uri 'none'")


@dataclass
class Session:
    seen: int
    """When it was last used (the app's clock, nanoseconds)."""
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    case: dict[str, Any] | None = None
    label: str = ""
    software: Any = None
    software_name: str = ""
    rejected: list[str] = field(default_factory=list)
    """Records of the upload that could not be read (the case holds the others)."""
    pending: list[tuple[str, bytes]] = field(default_factory=list)
    """An upload whose forms name several people, kept until the person says whether they are one."""
    people: list[str] = field(default_factory=list)
    """Those people as the forms show them (TINs masked)."""
    people_cases: list[Any] = field(default_factory=list)
    """Their cases as read: two make a joint return when the person says so."""
    flash: str = ""
    """What the last answer changed, shown once on the page the answer leads to."""
    group: str = ""
    """The question group last shown (an answer's error shows it again)."""
    product: str = ""
    """The tax software whose entry guide was last chosen."""


class PageError(Exception):
    """An error to show on the page (bad input, a refused request)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem 2rem;line-height:1.5;color:#1b1b1b;
 font-size:1.0625rem;overflow-wrap:break-word}
a{color:#0b4fa8}a:visited{color:#54278f}
:focus-visible{outline:3px solid #0b4fa8;outline-offset:2px}
header p{margin:.25rem 0}
.skip{position:absolute;left:-100rem}.skip:focus{position:static;display:inline-block;padding:.6rem;min-height:44px}
h1{font-size:1.6rem;margin:.8rem 0 .3rem}h2{font-size:1.35rem;margin:1.2rem 0 .4rem}h3{font-size:1.15rem}
.steps{list-style:none;padding:0;margin:.8rem 0;display:flex;flex-wrap:wrap;gap:.3rem}
.steps li{flex:1 1 9rem}
.steps a,.steps li>span{display:block;min-height:44px;padding:.5rem .6rem;border:2px solid #8a8a8a;border-radius:.4rem;
 text-decoration:none;color:#1b1b1b}
.steps li>span{color:#5c5c5c;border-style:dashed}
.steps a[aria-current]{background:#0b4fa8;color:#fff;border-color:#0b4fa8;font-weight:bold}
.steps .n{font-weight:bold}
button,.button{display:inline-block;min-height:44px;min-width:44px;padding:.5rem 1rem;font:inherit;border-radius:.4rem;
 border:2px solid #0b4fa8;background:#0b4fa8;color:#fff;cursor:pointer;text-decoration:none;margin:.25rem 0}
button.secondary,.button.secondary{background:#fff;color:#0b4fa8}
input[type=text],input:not([type]),select{font:inherit;min-height:44px;padding:.35rem .5rem;border:2px solid #5c5c5c;
 border-radius:.3rem;max-width:100%}
input[type=file]{font:inherit;min-height:44px;max-width:100%}
input[type=radio],input[type=checkbox]{width:1.4rem;height:1.4rem;vertical-align:middle;margin:0 .4rem 0 0}
label.choice{display:flex;align-items:center;min-height:44px;padding:.2rem 0}
.field{margin:.6rem 0}.field label{display:block;font-weight:600}
.hint{color:#3d3d3d;margin:.2rem 0}
.live-sum{font-weight:600;margin:.3rem 0}fieldset.drop{outline:3px dashed #0b4fa8;outline-offset:4px}
fieldset{border:2px solid #c4c4c4;border-radius:.4rem;margin:.8rem 0;padding:.6rem .9rem;min-width:0}
legend{font-weight:bold;padding:0 .3rem}
.error{background:#fdecec;border:2px solid #b50909;padding:.6rem;border-radius:.4rem}
.saved{background:#e8f5e9;border:2px solid #1e6b24;padding:.6rem;border-radius:.4rem}
.notfinal{background:#fff4e5;border:2px solid #8a5300;padding:.6rem;border-radius:.4rem}
input[aria-invalid=true]{border-color:#b50909}
.sev-error{color:#8f0000}.sev-warning{color:#6b4100}
.findings li{margin:.4rem 0}
details summary{cursor:pointer;min-height:44px;display:flex;align-items:center}
.groups{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem}
.groups a{display:block;min-height:44px;padding:.5rem .6rem;border:1px solid #8a8a8a;border-radius:.3rem}
.groups a[aria-current]{font-weight:bold;border:2px solid #0b4fa8}
.form1040{border-collapse:collapse;width:100%;margin:.5rem 0}
.form1040 td{border:1px solid #5c5c5c;padding:.35rem .5rem;vertical-align:top}
.form1040 td:first-child{font-weight:bold;width:3rem;text-align:center;background:#f0f0f0}
.form1040 tr.why td{border-top:0;font-size:.95rem;color:#3d3d3d}.form1040 tr.why td:first-child{background:#f0f0f0}
.form1040 td.n{text-align:right;font-variant-numeric:tabular-nums;width:9rem;white-space:nowrap}
.box{font-size:1.3rem}
.alloc{border-collapse:collapse;width:100%}.alloc td,.alloc th{padding:.3rem;text-align:left;border-bottom:1px solid #ddd}
.alloc input{width:9rem}
.cards{list-style:none;padding:0}.cards li{border:1px solid #c4c4c4;border-radius:.4rem;padding:.5rem .8rem;margin:.4rem 0}
.typed{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.3rem 1rem}
.typed input{width:100%}
iframe{width:100%;height:36rem;border:1px solid #8a8a8a}
.next{margin:1.2rem 0;display:flex;flex-wrap:wrap;gap:.6rem;align-items:center}
@media (max-width:40rem){
 body{padding:0 .6rem 2rem}
 .steps li{flex:1 1 100%}
 .form1040,.form1040 tbody,.form1040 tr,.form1040 td{display:block;width:auto}
 .form1040 tr{border:1px solid #5c5c5c;border-bottom:0;margin:.4rem 0 0}.form1040 tr.why{border-top:0;margin:0 0 .4rem;border-bottom:1px solid #5c5c5c}
 .form1040 td{border:0}.form1040 td:first-child{text-align:left;width:auto}.form1040 tr.why td:first-child{display:none}
 .form1040 td.n{text-align:left;width:auto;font-weight:bold}
 .alloc,.alloc tbody,.alloc tr,.alloc td{display:block}.alloc thead{display:none}.alloc input{width:100%}
 iframe{height:28rem}
}
@media print{
 body{max-width:none;font-size:11pt;padding:0}
 nav,form,.noprint,iframe,.next,details summary{display:none}
 .form1040 td{border-color:#000}.form1040{page-break-inside:auto}.form1040 tr{page-break-inside:avoid}
 a{color:#000;text-decoration:none}
}
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ style|safe }}</style><script src="/static/page.js" defer></script></head><body>
<a class="skip" href="#step-title">Skip to this step</a>
<header><h1>megaroth — Form 1099-R to Form 1040</h1>
<p>This page runs on your computer only (127.0.0.1); nothing you upload leaves it, and it is
forgotten when <code>megaroth serve</code> stops.</p></header>
<nav aria-label="Steps"><ol class="steps">
{% for s in steps %}<li>{% if s.open %}<a href="{{ s.href }}"{% if s.key == step %} aria-current="step"{% endif %}><span class="n">{{ loop.index }}</span> {{ s.title }}</a>{% else %}<span><span class="n">{{ loop.index }}</span> {{ s.title }}</span>{% endif %}</li>
{% endfor %}</ol></nav>
<main>
<h2 id="step-title">Step {{ step_number }}: {{ step_title }}</h2>
{% if error %}<div class="error" role="alert" id="error"><strong>Error:</strong> {{ plain(error) }}</div>{% endif %}
{% if flash %}<div class="saved" role="status">{{ flash }}</div>{% endif %}
{% if rejected and step == "forms" %}<div class="error" role="alert"><strong>Not read (left out of the lines):</strong><ul>
{% for r in rejected %}<li class="sev-error">{{ plain(r) }}</li>{% endfor %}</ul></div>{% endif %}

{% macro findings_list(items, errors=()) %}<ul class="findings">
{% for e in errors %}<li class="sev-error"><strong>Must be fixed:</strong> {{ plain(e.message) }}{% if e.field %} ({{ e.field }}){% endif %}</li>{% endfor %}
{% for f in items %}<li class="sev-{{ f.severity.value }}"><strong>{{ severity(f.severity.value) }}{% if f.form_id %}, {{ form_name(f.form_id) }}{% endif %}:</strong>
{{ plain(f.message) }}<details><summary>Finding code</summary><code>{{ f.code }}</code>{% if f.form_id %} (form {{ f.form_id }}){% endif %}</details></li>{% endfor %}
</ul>{% endmacro %}

{% macro not_final() %}{% if analysis and analysis.missing_facts %}<div class="notfinal" role="status"><p><strong>Not final: facts still needed.</strong>
{% if step == "questions" %}Answer them below{% else %}Answer them in <a href="/questions">step 2</a>{% endif %}; the lines are computed without them.</p><ul>
{% for m in analysis.missing_facts %}<li>{{ plain(m.message) }}</li>{% endfor %}</ul></div>{% endif %}{% endmacro %}

{% macro question_fields(q, errors) %}
{% set bad = errors.get(q.id) %}
<fieldset{% if bad %} aria-describedby="error"{% endif %}><legend>{{ form_title(q) if not q.fact_title else q.fact_title }}{% if not q.fact_title %}: {{ q.prompt }}{% endif %}</legend>
{% if q.kind == "allocation" %}
<p class="hint" id="hint:{{ q.id }}">The amounts add up to box 1, {{ money(q.total) }}. Leave a place blank if nothing went there.</p>
<table class="alloc" data-total="{{ money(q.total) }}"><thead><tr><th scope="col">Where it went</th><th scope="col">Amount (box 1 is {{ money(q.total) }})</th></tr></thead><tbody>
{% for c in q.choices %}<tr><td><label for="{{ q.id }}:{{ c.value }}">{{ c.label }}</label></td>
<td><input id="{{ q.id }}:{{ c.value }}" name="q:{{ q.id }}:{{ c.value }}" inputmode="decimal" autocomplete="off"
 value="{{ (q.current or {}).get(c.value, '') }}" aria-describedby="hint:{{ q.id }}{% if bad %} error{% endif %}"{% if bad %} aria-invalid="true"{% endif %}></td></tr>{% endfor %}</tbody></table>
{% elif q.kind == "fact" %}
<p class="hint" id="hint:{{ q.id }}">{{ q.prompt }} Where to find it: {{ q.where }}{% if q.at_stake %} Up to {{ money(q.at_stake) }}
depends on it.{% endif %} Leave it blank if you do not know: the result then says it is incomplete.</p>
<div class="field"><label for="f:{{ q.id }}">{{ q.fact_title }}{% if q.value_kind == "date" %} (YYYY-MM-DD){% endif %}</label>
<input id="f:{{ q.id }}" name="q:{{ q.id }}" value="{{ q.current if q.current is not none else '' }}" autocomplete="off"
 aria-describedby="hint:{{ q.id }}{% if bad %} error{% endif %}"{% if bad %} aria-invalid="true"{% endif %}{% if q.value_kind == "date" %} placeholder="YYYY-MM-DD"{% elif q.value_kind == "money" %} inputmode="decimal"{% endif %}></div>
{% elif q.kind == "confirm" and not q.choices %}
<p class="hint" id="hint:{{ q.id }}">{{ q.prompt }}</p>
<div class="field"><label for="f:{{ q.id }}">What the paper form shows in {{ q.box_name }}</label>
<input id="f:{{ q.id }}" name="q:{{ q.id }}" value="" autocomplete="off" aria-describedby="hint:{{ q.id }}{% if bad %} error{% endif %}"{% if bad %} aria-invalid="true"{% endif %}{% if q.value_kind in ("money", "percent") %} inputmode="decimal"{% elif q.value_kind == "year" %} inputmode="numeric"{% elif q.value_kind == "date" %} placeholder="MM/DD/YYYY"{% endif %}></div>
{% elif q.choices %}
{% for c in q.choices %}<label class="choice"><input type="radio" name="q:{{ q.id }}" value="{{ c.value }}"
 {% if q.current == c.value %}checked{% endif %}> {{ c.label }}</label>{% endfor %}
{% else %}
<div class="field"><label for="f:{{ q.id }}">Date (YYYY-MM-DD)</label>
<input id="f:{{ q.id }}" name="q:{{ q.id }}" value="{{ q.current or '' }}" placeholder="YYYY-MM-DD"{% if bad %} aria-invalid="true" aria-describedby="error"{% endif %}></div>
{% endif %}
</fieldset>
{% endmacro %}

{% if step == "forms" %}
{% if people %}
<form method="post" action="/people">
<fieldset><legend>Are these forms all yours?</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<p>The forms name {{ people|length }} people. A plan often prints your TIN in full and an IRA custodian masks it, so
one person can look like two. They are put on one return only if you say so.</p>
<ol>{% for p in people %}<li><fieldset><legend>{{ p }}</legend>
<label class="choice"><input type="radio" name="whose:{{ loop.index0 }}" value="taxpayer" checked> me</label>
<label class="choice"><input type="radio" name="whose:{{ loop.index0 }}" value="spouse"> my spouse (a joint return)</label></fieldset></li>{% endfor %}</ol>
<button type="submit" name="same" value="yes">Put them on one return as marked</button>
<button type="submit" name="same" value="no" class="secondary">No: they are different people's</button>
</fieldset></form>
{% endif %}
{% if case %}
<h3>Case: {{ label }}</h3>
<ul class="cards">{% for f in forms %}<li><strong>{{ f.name }}</strong><br>{{ f.boxes }}</li>{% endfor %}</ul>
<div class="next"><a class="button" href="{{ next_href }}">Next: {{ next_title }}</a></div>
<h3>Start over with other forms</h3>
{% endif %}
<form method="post" action="/upload" enctype="multipart/form-data">
<fieldset><legend>Your 1099-R PDFs, scans or photos, a case file (JSON) or a CSV</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<div class="field"><label for="files">Files (you can choose several)</label>
<input type="file" id="files" name="files" multiple accept=".pdf,.json,.csv,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,application/json,text/csv,image/png,image/jpeg,image/tiff"></div>
<button type="submit">Read</button></fieldset></form>

<form method="post" action="/boxes">
<fieldset><legend>…or type the boxes of one Form 1099-R</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<div class="typed">
<div class="field"><label for="tax_year">Tax year</label><input id="tax_year" name="tax_year" inputmode="numeric" value="{{ default_year }}"></div>
<div class="field"><label for="box_1">Box 1: Gross distribution</label><input id="box_1" name="box_1" inputmode="decimal" required></div>
<div class="field"><label for="box_2a">Box 2a: Taxable amount</label><input id="box_2a" name="box_2a" inputmode="decimal"></div>
<div class="field"><label for="box_4">Box 4: Federal income tax withheld</label><input id="box_4" name="box_4" inputmode="decimal"></div>
<div class="field"><label for="box_5">Box 5: Employee contributions (after-tax)</label><input id="box_5" name="box_5" inputmode="decimal"></div>
<div class="field"><label for="box_7">Box 7: Distribution code(s)</label><input id="box_7" name="box_7" required></div>
</div>
<label class="choice"><input type="checkbox" name="not_determined" value="1"> Box 2b: Taxable amount not determined</label>
<label class="choice"><input type="checkbox" name="ira" value="1"> Box 7: IRA/SEP/SIMPLE</label>
<button type="submit">Use this form</button></fieldset></form>

{% elif step == "questions" %}
{{ not_final() }}
<nav aria-label="Question groups"><ul class="groups">
{% for g in groups %}<li><a href="/questions?group={{ g.key|urlencode }}"{% if g.key == group.key %} aria-current="true"{% endif %}>{{ g.title }} — {{ "answered" if g.done else "to answer" }}</a></li>{% endfor %}
<li><a href="/questions?group=all"{% if group.key == "all" %} aria-current="true"{% endif %}>All questions on one page</a></li>
</ul></nav>
<form method="post" action="/answers">
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="hidden" name="group" value="{{ group.key }}">
{% for g in shown_groups %}
<fieldset><legend>{{ g.title }}</legend>
{% for q in g.questions %}{{ question_fields(q, field_errors) }}{% endfor %}
{% if g.findings %}<details><summary>What megaroth noticed on this form ({{ g.findings|length }})</summary>
{{ findings_list(g.findings) }}</details>{% endif %}
</fieldset>
{% endfor %}
<div class="next"><button type="submit">Save and continue</button>
{% if previous_group %}<a href="/questions?group={{ previous_group|urlencode }}">Back to the previous group</a>{% endif %}
<a href="/lines">See your Form 1040 lines</a></div>
</form>

{% elif step == "lines" %}
{{ not_final() }}
{% if not analysis.complete %}<p class="error">The lines miss something: see what megaroth noticed below.</p>{% endif %}
<h3>Form 1040, tax year {{ analysis.tax_year }}</h3>
<table class="form1040"><tbody>
{% for line in analysis.lines %}<tr><td>{{ line.key }}</td><td>{{ line.label }}</td>
<td class="n">{{ money(line.amount) }}</td></tr>
<tr class="why"><td></td><td colspan="2">{{ explain(line) }} <a href="/view/worksheet#:~:text=Form%201040%20entries">How line {{ line.key }} was figured</a></td></tr>
{% if line.key == "5b" %}{% for n in checkboxes %}<tr class="check"><td>5c</td><td>{{ notation(n) }}</td>
<td class="n"><span class="box" aria-hidden="true">☑</span> {{ n.box }} {{ n.text }}</td></tr>{% endfor %}{% endif %}
{% endfor %}</tbody></table>
{% for n in other_notations %}<p class="notation">{{ notation(n) }}</p>{% endfor %}
<h3>Form 8606</h3><p>{{ plain(analysis.form_8606.summary) }}</p>
{% for p in analysis.people %}{% if p.form_8606 %}
<h4>{{ p.name or ("You" if p.role == "taxpayer" else "Your spouse") }}: {{ "Yes, Form 8606 is filed" if p.form_8606.lines else "No Form 8606" }}</h4>
{% if p.form_8606.lines %}<table class="form1040"><tbody>
{% for l in p.form_8606.lines %}<tr><td>{{ l.line }}</td><td>{{ l.label }}</td>
<td class="n">{{ money(l.amount) if l.amount is not none else (l.text or "") }}</td></tr>
{% if l.description %}<tr class="why"><td></td><td colspan="2">{{ plain(l.description) }}
<a href="/view/worksheet#:~:text=Form%208606">How line {{ l.line }} was figured</a></td></tr>{% endif %}{% endfor %}</tbody></table>
{% else %}<p>{{ plain(p.form_8606.summary) }}</p>{% endif %}
{% endif %}{% endfor %}
<h3>What megaroth noticed</h3>
{% if analysis.findings or analysis.errors %}{{ findings_list(analysis.findings, analysis.errors) }}{% else %}<p>Nothing.</p>{% endif %}
<h3>Downloads</h3>
<p>Download: <a href="/download/worksheet.pdf">worksheet (PDF)</a> ·
<a href="/download/worksheet.md">worksheet (Markdown)</a> ·
<a href="/download/worksheet.html">worksheet (HTML)</a> · <a href="/download/worksheet.json">JSON</a> ·
<a href="/download/case.json">case file to keep</a> (TINs masked) ·
<a href="/download/{{ forms_zip }}">the IRS forms, filled (zip: Form 1040 and, when they apply,
Schedule 2, Form 8606 and Form 5329; partial forms for reference)</a></p>
<p>What to type into your tax software (TurboTax, H&amp;R Block, FreeTaxUSA, Drake, UltraTax), each step with
the page it comes from: <a href="/view/guide">entry guide</a> ·
<a href="/download/guide.md">Markdown</a> · <a href="/download/guide.html">HTML</a></p>
<div class="next"><a class="button" href="/guide">Next: what to type in your software</a>
<a href="/questions">Back to the questions</a></div>
<h3>Worksheet</h3>
<iframe src="/view/worksheet" title="worksheet"></iframe>

{% elif step == "guide" %}
<form method="get" action="/guide" class="noprint">
<fieldset><legend>Your tax software</legend>
{% for g in products %}<label class="choice"><input type="radio" name="product" value="{{ g.software }}"{% if g.software == product %} checked{% endif %}> {{ g.title }}</label>{% endfor %}
<button type="submit">Show its steps</button></fieldset></form>
<p>The steps for {{ product_title }}, each with the page it comes from (<a href="/view/guide?product={{ product|urlencode }}">open on its own</a> ·
<a href="/download/guide.md">every product, Markdown</a>).</p>
<iframe src="/view/guide?product={{ product|urlencode }}" title="entry guide for {{ product_title }}"></iframe>
<div class="next"><a class="button" href="/compare">Next: compare with your software</a><a href="/lines">Back to your lines</a></div>

{% elif step == "compare" %}
<form method="post" action="/software" enctype="multipart/form-data">
<fieldset><legend>The Form 1040 PDF your tax software produced (or its JSON/CSV figures)</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<div class="field"><label for="software">File</label>
<input type="file" id="software" name="software" accept=".pdf,.json,.csv"></div>
<button type="submit">Compare</button></fieldset></form>
{% if comparison %}
<h3>Comparison with {{ software_name }}: {{ "they agree" if comparison.agree else "they differ" }}</h3>
{% if comparison.diagnoses %}<ol class="diagnoses">
{% for d in comparison.diagnoses %}<li><strong>{{ plain(d.title) }}</strong>. {{ plain(d.explanation) }}
<br><em>What to change in the software:</em> {{ plain(d.fix) }}</li>{% endfor %}</ol>{% endif %}
<iframe src="/view/compare" title="comparison"></iframe>
{% endif %}
<div class="next"><a href="/guide">Back to what to type</a></div>
{% endif %}
</main>
{% if case %}<footer class="noprint"><form method="post" action="/reset"><input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit" class="secondary">Forget this case</button></form></footer>{% endif %}
</body></html>
"""


def _size(limit: int) -> str:
    return f"{limit // MB} MiB" if limit >= MB and limit % MB == 0 else f"{limit:,} bytes"


def _money(amount: Decimal | str | None) -> str:
    return "" if amount is None else f"${Decimal(str(amount)):,.2f}"


SEVERITY_WORDS = {"error": "Must be fixed", "warning": "Needs your attention", "info": "Note"}
"""A finding's severity as a person reads it (its code stays in a details element)."""
FORM_KINDS = (("forms_1099r", "Form 1099-R"), ("forms_1099r_awaiting", "Form 1099-R"), ("forms_5498", "Form 5498"),
              ("forms_w2", "Form W-2"))


def _amount(text: Any) -> Decimal | None:
    """An amount as typed or stored ("10,200.00", "$7010"), or None when it is not one (shown as typed)."""
    try:
        return Decimal(str(text).replace(",", "").replace("$", "").strip())
    except (ArithmeticError, ValueError):
        return None


class Words:
    """The case's internals in a person's words: a form by its payer and account, not its id; a
    finding's severity in words; line 5c's checkbox as it is drawn on the form."""

    def __init__(self, case: dict[str, Any] | None):
        self.forms: dict[str, tuple[str, str]] = {}
        for key, kind in FORM_KINDS:
            for form in (case or {}).get(key) or []:
                if not isinstance(form, dict) or not form.get("id"):
                    continue
                payer = str(form.get("payer_name") or form.get("trustee_name") or form.get("employer_name") or "")
                name = f"{kind} from {payer}" if payer else f"{kind} (payer not named)"
                if form.get("account_number"):
                    name += f" (account {form['account_number']})"
                self.forms[str(form["id"])] = (name, payer)
        # Longest ids first, so that "a-p1" never eats part of "a-p10".
        self._patterns = [(re.compile(r"(?:\b[Ff]orms?(?:\(s\))?(?: 1099-R| 5498| W-2)? )?'" + re.escape(form_id) + "'"
                                      + (r"(?: \(" + re.escape(payer) + r"\))?" if payer else "")), name)
                          for form_id, (name, payer) in sorted(self.forms.items(), key=lambda i: -len(i[0]))]

    def form_name(self, form_id: str) -> str:
        return self.forms.get(form_id, (f"form {form_id}", ""))[0]

    def plain(self, text: Any) -> str:
        """A message with each quoted form id ("form 'acme-p1' (Acme)") said as its payer and account."""
        result = str(text)
        for pattern, name in self._patterns:
            result = pattern.sub(lambda _, n=name: n, result)  # a function: the name is no pattern
        return result

    def form_title(self, question: Any) -> str:
        """Whose form or whose facts a question is about, as the page heads it."""
        if not question.form_id:
            return question.form_label
        return self.form_name(question.form_id)

    @staticmethod
    def severity(value: str) -> str:
        return SEVERITY_WORDS.get(value, value)

    @staticmethod
    def notation(notation: Any) -> str:
        """A checkbox as it is drawn on the form: "Line 5c, box 1 (Rollover): ☑ check it"."""
        if getattr(notation, "kind", None) == "checkbox":
            return f"Line {notation.line}, box {notation.box} ({notation.text}): ☑ check it"
        if getattr(notation, "line", None):
            return f"Line {notation.line}: {getattr(notation, 'instruction', None) or notation.text}"
        return str(getattr(notation, "text", notation))


def _destination(label: str) -> str:
    """A destination after "to": "a Roth IRA", "the designated Roth account…", "another plan"."""
    if label.startswith(("another", "kept")):
        return label
    return ("the " if label.startswith("designated") else "a ") + label


def _said(question: Any, answer: Any, words: Words) -> str | None:
    """An answer in a sentence, or None when it changes nothing the case held."""
    if question.kind == qs.ALLOCATION:
        given = {k: _amount(v) for k, v in answer.items() if str(v).strip()}
        held = {k: _amount(v) for k, v in (question.current or {}).items()} \
            if isinstance(question.current, dict) else {}
        if {k: v for k, v in given.items() if v} == {k: v for k, v in held.items() if v}:
            return None
        labels = {c.value: c.label for c in question.choices}
        parts = [(f"{_money(v)} " if v is not None else f"{answer[k]} ")
                 + ("kept" if k == "kept" else f"to {_destination(labels.get(k, k))}")
                 for k, v in given.items() if v != 0]
        return f"{words.form_title(question)} — {', '.join(parts)}"
    text = str(answer).strip()
    if not text or text == str(question.current if question.current is not None else "").strip():
        return None
    if question.kind == qs.FACT:
        shown = _money(_amount(text)) if question.value_kind == "money" and _amount(text) is not None else text
        return f"{question.form_label}: {question.fact_title}, {shown}"
    label = next((c.label for c in question.choices if c.value == text), text)
    if question.kind == qs.CONFIRM:
        return f"{words.form_title(question)}: {question.box_name}, {label} (confirmed from the paper form)"
    return f"{words.form_title(question)}: {label}"


def _changes(before: Any, after: Any) -> str:
    """The Form 1040 lines that an answer moved, "Line 4b is now $10.02 (was $7,010.00)."."""
    was = {line.key: line.amount for line in before.lines}
    moved = [f"Line {line.key} is now {_money(line.amount) or 'blank'} (was {_money(was.get(line.key)) or 'blank'})."
             for line in after.lines if was.get(line.key) != line.amount]
    return " ".join(moved) or "The Form 1040 lines did not change."


STEPS = (("forms", "/", "Your forms"), ("questions", "/questions", "Questions"),
         ("lines", "/lines", "Your Form 1040 lines"), ("guide", "/guide", "What to type in your software"),
         ("compare", "/compare", "Compare with your software"))
"""The guided flow, in order: (key, address, title)."""
STEP_OF_POST = {"/upload": "forms", "/boxes": "forms", "/people": "forms", "/reset": "forms",
                "/answers": "questions", "/software": "compare"}
"""The step whose page shows a POST's error."""
ALL_GROUPS = "all"
OPTIONAL_KINDS = (qs.SIXTY_DAY, qs.ROLLOVER_DATE, "in_kind")
DEFAULT_PRODUCT = "turbotax"


@dataclass
class Group:
    """The questions asked together: one form's, or one person's facts."""

    key: str
    title: str
    questions: list[Any]
    findings: list[Any] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Every question that must be answered is: where the money went, whose form, the facts the
        lines lack (a 60-day rollover's question and its date are asked too, but "no" needs no answer)."""
        return all(q.current not in (None, "", {}) for q in self.questions if q.kind not in OPTIONAL_KINDS)


def _groups(questions: list[Any], words: Words, findings: list[Any]) -> list[Group]:
    """The questions one group at a time: each form's together, then each person's facts."""
    groups: dict[str, Group] = {}
    for q in questions:
        if q.form_id:
            key, title = q.form_id, words.form_name(q.form_id)
        else:
            key = f"person:{q.role}"
            title = "Facts about you" if q.form_label == "You" else f"Facts about {q.form_label}"
        if key not in groups:
            groups[key] = Group(key, title, [], [f for f in findings if q.form_id and f.form_id == q.form_id])
        groups[key].questions.append(q)
    return list(groups.values())


def _next_group(groups: list[Group], after: str) -> str | None:
    """Where to go once a group is saved: the same group while it still asks something (a fact
    can bring another), then the next one with a question unanswered, else none (the lines)."""
    keys = [g.key for g in groups]
    start = keys.index(after) if after in keys else -1
    for g in groups[start:] if start >= 0 else groups:
        if not g.done:
            return g.key
    return next((g.key for g in groups if not g.done), None)


def _explain(line: Any, words: Words) -> str:
    """A Form 1040 line in one sentence: which forms it comes from."""
    if line.amount is None:
        return "Blank: nothing from your forms goes on this line."
    sources = [f"{words.form_name(s.form_id)} ({_money(s.amount)})" for s in line.sources]
    said = ("From " + "; ".join(sources) + ".") if sources else "Figured from your answers."
    return f"{said} {words.plain(line.note)}" if line.note else said


def _form_cards(case: dict[str, Any] | None, words: Words) -> list[dict[str, str]]:
    """Each Form 1099-R read, by payer and its main boxes."""
    cards = []
    for form in (case or {}).get("forms_1099r_awaiting") or []:
        # A scanned form whose box 1 or 7 was not read for sure: off the return until the questions below are answered.
        read = [f"Box 1 {_money(_amount(form['box_1']))}" if form.get("box_1") else "Box 1 not yet read",
                f"box 7 code {form['box_7']}" if form.get("box_7") else "box 7 not yet read",
                "left out of the return until you type what the paper form shows"]
        cards.append({"name": words.form_name(str(form.get("id"))), "boxes": " · ".join(read)})
    for form in (case or {}).get("forms_1099r") or []:
        boxes = [f"Box 1 {_money(_amount(form.get('box_1')))}"]
        for box, title in (("box_2a", "box 2a"), ("box_4", "box 4"), ("box_5", "box 5")):
            if _amount(form.get(box)):
                boxes.append(f"{title} {_money(_amount(form.get(box)))}")
        boxes.append(f"box 7 code {form.get('box_7') or '(none)'}" + (", IRA/SEP/SIMPLE" if form.get("box_7_ira_sep_simple") else ""))
        cards.append({"name": words.form_name(str(form.get("id"))), "boxes": " · ".join(boxes)})
    return cards


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_ENV.globals["style"] = STYLE
_PAGE = _ENV.from_string(PAGE)


def create_app(*, limits: Limits = DEFAULT_LIMITS, allowed_hosts: tuple[str, ...] = LOCAL_HOSTS,
               clock: Callable[[], int] = time.monotonic_ns, idle_timeout: int = IDLE_TIMEOUT_SECONDS,
               max_sessions: int = MAX_SESSIONS, max_request_bytes: int = MAX_REQUEST_BYTES,
               sweep_ms: int = SWEEP_MS) -> Starlette:
    """The ASGI app.

    Args:
        allowed_hosts: the Host names it answers (tests add theirs).
        clock: nanoseconds from any fixed start (tests pass their own to expire sessions).
        idle_timeout: seconds a session may stay unused before it and its data are dropped.
        max_sessions: sessions held at once (the least recently used is dropped first).
        max_request_bytes: the largest request body, counted as it streams in.
        sweep_ms: how often idle sessions are dropped between requests (each request drops them too).
    """
    sessions: OrderedDict[str, Session] = OrderedDict()

    def drop_idle() -> int:
        """Drop the sessions unused for `idle_timeout`, with their data; the clock's time now."""
        now = clock()
        for stale in [k for k, s in sessions.items() if now - s.seen > idle_timeout * 1_000_000_000]:
            del sessions[stale]
        return now

    @contextlib.asynccontextmanager
    async def lifespan(app):
        """While the server runs, idle sessions go even when no request comes."""
        async def sweep() -> None:
            while True:
                await asyncio.sleep(sweep_ms / 1000)
                drop_idle()
        sweeper = asyncio.create_task(sweep())
        try:
            yield
        finally:
            sweeper.cancel()

    def session_of(request: Request) -> tuple[str, Session, bool]:
        """The request's session, and whether its cookie named one no longer held (expired)."""
        now = drop_idle()
        key = request.cookies.get(COOKIE)
        if key and key in sessions:
            sessions.move_to_end(key)
            sessions[key].seen = now
            return key, sessions[key], False
        while len(sessions) >= max_sessions:
            sessions.popitem(last=False)
        new = secrets.token_urlsafe(32)
        sessions[new] = Session(seen=now)
        return new, sessions[new], bool(key)

    def limited(receive):
        """`receive` that refuses a body past `max_request_bytes` as its chunks arrive."""
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_request_bytes:
                    raise PageError(f"refused: the upload is larger than {_size(max_request_bytes)}", 413)
            return message
        return counted

    def with_cookie(response: Response, key: str) -> Response:
        response.set_cookie(COOKIE, key, httponly=True, samesite="strict", path="/")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    def host_of(request: Request) -> str:
        return (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]").lower()

    def check_origin(request: Request) -> None:
        """Refuse a POST that another site's page made (CSRF)."""
        origin = request.headers.get("origin")
        if origin is None or origin == "null":
            origin = request.headers.get("referer")
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if not origin or not (origin == expected or origin.startswith(expected + "/")):
            raise PageError("refused: the request did not come from this page (cross-origin)", 403)

    def analysis_of(session: Session):
        loaded = api.case_from_dict(session.case, label=session.label or "<page>")
        return loaded, api.analyze_with_ledger(loaded)

    def page(session: Session, key: str, step: str = "forms", error: str | None = None, status: int = 200,
             request: Request | None = None, field_errors: dict[str, str] | None = None) -> Response:
        """One step's page: the step list, then that step (a step that needs a case, without one, is the first)."""
        words = Words(session.case)
        params = request.query_params if request is not None else {}
        context: dict[str, Any] = {"error": error, "csrf": session.csrf, "case": session.case,
                                   "label": session.label, "default_year": api.default_year(), "money": _money,
                                   "analysis": None, "comparison": None, "software_name": session.software_name,
                                   "rejected": session.rejected, "forms_zip": "", "people": session.people,
                                   "flash": session.flash, "plain": words.plain, "form_title": words.form_title,
                                   "form_name": words.form_name, "severity": words.severity,
                                   "notation": words.notation, "explain": lambda line: _explain(line, words),
                                   "field_errors": field_errors or {}, "forms": _form_cards(session.case, words)}
        session.flash = ""  # said once, on the page the answer led to
        if session.case is not None:
            try:
                loaded, analysis = analysis_of(session)
                context["analysis"] = analysis
                context["forms_zip"] = IRS_FORMS_ZIP.format(year=analysis.tax_year)
                groups = _groups(qs.page_questions(session.case, analysis.missing_facts), words, analysis.findings)
                first = _next_group(groups, "")
                context["next_href"], context["next_title"] = (
                    (f"/questions?group={first}", "the questions") if first else ("/lines", "your Form 1040 lines"))
                notations = list(analysis.notations)
                context["checkboxes"] = [n for n in notations if getattr(n, "line", None) == "5c"]
                context["other_notations"] = [n for n in notations if getattr(n, "line", None) != "5c"]
                if step == "questions":
                    wanted = str(params.get("group") or session.group or "")
                    keys = [g.key for g in groups]
                    if wanted == ALL_GROUPS:
                        group = Group(ALL_GROUPS, "All questions", [q for g in groups for q in g.questions])
                        shown = groups
                    else:
                        wanted = wanted if wanted in keys else (first or (keys[0] if keys else ""))
                        group = next((g for g in groups if g.key == wanted), Group("", "", []))
                        shown = [group] if group.key else []
                    session.group = group.key
                    index = keys.index(group.key) if group.key in keys else -1
                    context.update(groups=groups, group=group, shown_groups=shown,
                                   previous_group=keys[index - 1] if index > 0 else None)
                if step == "guide":
                    guides = api.entry_guides(loaded, analysis).guides
                    chosen = str(params.get("product") or session.product or DEFAULT_PRODUCT)
                    product = next((g for g in guides if g.software == chosen), guides[0] if guides else None)
                    session.product = product.software if product else ""
                    context.update(products=guides, product=session.product,
                                   product_title=product.title if product else "")
                if session.software is not None:
                    _, context["comparison"] = api.compare(loaded, session.software)
            except MegarothError as exc:
                session.case, session.software = None, None
                context.update(case=None, analysis=None, error=str(exc), forms=[])
                status, step = 400, "forms"
        if session.case is None:
            step = "forms"
        number = next(n for n, (k, _, _) in enumerate(STEPS, 1) if k == step)
        context.update(step=step, step_number=number, step_title=STEPS[number - 1][2],
                       title=f"megaroth — {number} {STEPS[number - 1][2]}",
                       steps=[{"key": k, "href": href, "title": title, "open": k == "forms" or session.case is not None}
                              for k, href, title in STEPS])
        return with_cookie(HTMLResponse(_PAGE.render(context), status_code=status), key)

    async def guarded(request: Request, handler) -> Response:
        if host_of(request) not in allowed_hosts:
            return PlainTextResponse("refused: megaroth serve answers only on 127.0.0.1/localhost", 403)
        key, session, expired = session_of(request)
        if expired:  # nothing of the old session is left to act on: say so, whatever was asked
            return page(session, key, "forms", EXPIRED.format(minutes=idle_timeout // 60), 410)
        step = STEP_OF_POST.get(request.url.path, "forms") if request.method == "POST" else "forms"
        try:
            if request.method == "POST":
                check_origin(request)
                size = request.headers.get("content-length")
                if size is not None and size.isdigit() and int(size) > max_request_bytes:
                    raise PageError(f"refused: the upload is larger than {_size(max_request_bytes)}", 413)
                request = Request(request.scope, receive=limited(request.receive))
                async with request.form(max_files=MAX_FILES, max_fields=200) as form:
                    if not secrets.compare_digest(str(form.get("csrf") or ""), session.csrf):
                        raise PageError("refused: this form is out of date or not from this page; reload the page", 403)
                    target = await handler(form, session)
                return with_cookie(RedirectResponse(target or "/", status_code=303), key)
            return await handler(request, session, key)
        except PageError as exc:
            return page(session, key, step, exc.message, exc.status)
        except qs.AnswerError as exc:
            name = exc.question_id
            with contextlib.suppress(MegarothError):
                missing = analysis_of(session)[1].missing_facts if session.case is not None else []
                asked = next((q for q in qs.page_questions(session.case or {}, missing) if q.id == exc.question_id), None)
                name = (asked.fact_title or Words(session.case).form_title(asked)
                        + (f", {asked.box_name}" if asked.box_name else "")) if asked else name
            return page(session, key, step, f"{name}: {exc.message}", 400, field_errors={exc.question_id: exc.message})
        except MegarothError as exc:
            return page(session, key, step, str(exc), 400)

    async def files_of(form, name: str) -> list[tuple[str, bytes]]:
        files = []
        for upload in form.getlist(name):
            if isinstance(upload, str):
                continue
            data = await upload.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise PageError(f"{upload.filename}: refused, larger than {MAX_FILE_BYTES // MB} MiB", 413)
            if data:
                files.append((upload.filename or "upload", data))
        return files

    def first_step(session: Session) -> str:
        """Where a newly read case goes: its first question group with something unanswered, else its lines."""
        if session.case is None:
            return "/"
        _, analysis = analysis_of(session)
        groups = _groups(qs.page_questions(session.case, analysis.missing_facts), Words(session.case), [])
        first = _next_group(groups, "")
        return f"/questions?group={quote(first)}" if first else "/lines"

    async def do_upload(form, session: Session) -> str:
        files = await files_of(form, "files")
        if not files:
            raise PageError("choose a file to read")
        session.pending, session.people, session.people_cases = [], [], []
        try:
            loaded = api.load_uploads(files, limits=limits)
        except SeveralPeople as exc:
            # One person's forms may print the TIN differently (in full, masked): ask, never merge unasked.
            session.case, session.software, session.rejected = None, None, []
            session.pending, session.people, session.people_cases = files, exc.people, exc.cases
            return "/"
        session.case, session.label, session.software = api.case_data(loaded), loaded.source.file or "", None
        session.rejected = [str(e) for e in loaded.errors]
        return "/" if session.rejected else first_step(session)

    async def do_people(form, session: Session) -> str:
        if not session.pending:
            raise PageError("nothing to decide: upload your forms first")
        files, cases = session.pending, session.people_cases
        session.pending, session.people, session.people_cases = [], [], []
        if form.get("same") != "yes":
            raise PageError("the forms were not put together: upload one person's forms at a time (a preparer's "
                            "batch of several people is `megaroth report FILES --out-dir DIR`)")
        roles = [str(form.get(f"whose:{n}") or "taxpayer") for n in range(len(cases))]
        if not set(roles) <= {"taxpayer", "spouse"} or "taxpayer" not in roles:
            raise PageError("say for each person: me or my spouse (at least one is you)")
        if "spouse" in roles:
            loaded = api.joint_case(cases, roles)
        else:
            loaded = api.load_uploads(files, limits=limits, one_person=True)
        session.case, session.label, session.software = api.case_data(loaded), loaded.source.file or "", None
        session.rejected = [str(e) for e in loaded.errors]
        return "/" if session.rejected else first_step(session)

    async def do_boxes(form, session: Session) -> str:
        def text(name: str) -> str | None:
            value = str(form.get(name) or "").strip()
            return value or None
        year = text("tax_year")
        if year is not None and not year.isdigit():
            raise PageError(f"tax year {year!r} is not a year")
        boxes = {k: text(k) for k in ("box_1", "box_2a", "box_4", "box_5", "box_7")}
        loaded = api.typed_form_case(boxes, year=int(year) if year else None, ira=bool(form.get("ira")),
                                     not_determined=bool(form.get("not_determined")))
        session.case, session.label, session.software = api.case_data(loaded), "typed form", None
        session.rejected = []
        return first_step(session)

    async def do_answers(form, session: Session) -> str:
        if session.case is None:
            raise PageError("no case yet: upload a file first")
        posted = str(form.get("group") or "")
        session.group = posted or session.group
        answers: dict[str, Any] = {}
        _, analysis = analysis_of(session)
        asked = qs.page_questions(session.case, analysis.missing_facts)
        for question in asked:  # only the questions this page showed: the other groups' answers stay
            if question.kind == qs.ALLOCATION:
                amounts = {c.value: str(form.get(f"q:{question.id}:{c.value}") or "") for c in question.choices}
                if any(v.strip() for v in amounts.values()):
                    answers[question.id] = amounts
            elif f"q:{question.id}" in form:
                answers[question.id] = str(form.get(f"q:{question.id}") or "")
        updated = qs.apply_answers(session.case, answers)
        loaded = api.case_from_dict(updated, label=session.label)
        if loaded.errors:
            raise PageError("; ".join(str(e) for e in loaded.errors))
        words = Words(session.case)
        said = [s for s in (_said(q, answers[q.id], words) for q in asked if q.id in answers) if s]
        session.case = api.case_data(loaded)
        _, after = analysis_of(session)
        session.flash = (f"Saved: {'; '.join(said)}. " if said else "Nothing changed in your answers. ") \
            + _changes(analysis, after)
        groups = _groups(qs.page_questions(session.case, after.missing_facts), Words(session.case), [])
        following = _next_group(groups, posted)
        return f"/questions?group={quote(following)}" if following else "/lines"

    async def do_software(form, session: Session) -> str:
        if session.case is None:
            raise PageError("no case yet: upload your 1099-Rs first")
        files = await files_of(form, "software")
        if not files:
            raise PageError("choose the Form 1040 PDF (or figures file) to compare")
        name, data = files[0]
        session.software = api.load_software(name, None, session.case["tax_year"], limits=limits, data=data)
        session.software_name = name
        return "/compare"

    async def do_reset(form, session: Session) -> str:
        session.case, session.software, session.label, session.rejected = None, None, "", []
        session.pending, session.people, session.people_cases = [], [], []
        session.group, session.product = "", ""
        return "/"

    def show(step: str):
        async def shown(request: Request, session: Session, key: str) -> Response:
            return page(session, key, step, request=request)
        return shown

    async def view(request: Request, session: Session, key: str) -> Response:
        if session.case is None:
            raise PageError("no case yet", 404)
        from megaroth.render import render, render_compare

        loaded, analysis = analysis_of(session)
        if request.path_params["what"] == "compare":
            if session.software is None:
                raise PageError("nothing compared yet", 404)
            _, comparison = api.compare(loaded, session.software)
            return with_cookie(HTMLResponse(render_compare(comparison, analysis, loaded.case, "html")), key)
        if request.path_params["what"] == "guide":
            from megaroth.render import render_guide

            product = request.query_params.get("product")
            guides = api.entry_guides(loaded, analysis, [product] if product else None)
            return with_cookie(HTMLResponse(render_guide(guides, "html")), key)
        return with_cookie(HTMLResponse(render(analysis, loaded.case, "html")), key)

    async def download(request: Request, session: Session, key: str) -> Response:
        if session.case is None:
            raise PageError("no case yet", 404)
        from megaroth.render import render, render_worksheet_pdf

        name = request.path_params["name"]
        loaded, analysis = analysis_of(session)
        comparison = api.compare(loaded, session.software)[1] if session.software is not None else None
        kinds = {"worksheet.md": ("md", "text/markdown"), "worksheet.html": ("html", "text/html"),
                 "worksheet.json": ("json", "application/json")}
        body: str | bytes
        if name == "case.json":
            body, media = api.case_file(loaded), "application/json; charset=utf-8"
        elif name in kinds:
            fmt, media = kinds[name]
            body, media = render(analysis, loaded.case, fmt, comparison=comparison), media + "; charset=utf-8"
        elif name in ("guide.md", "guide.html"):
            from megaroth.render import render_guide

            fmt = name.rsplit(".", 1)[1]
            body = render_guide(api.entry_guides(loaded, analysis), fmt)
            media = ("text/markdown" if fmt == "md" else "text/html") + "; charset=utf-8"
        elif name == "worksheet.pdf":
            body, media = render_worksheet_pdf(analysis, loaded.case, comparison=comparison), "application/pdf"
        elif name == IRS_FORMS_ZIP.format(year=analysis.tax_year):
            body, media = api.fill_irs_forms(loaded)[1].zip(), "application/zip"
        else:
            raise PageError(f"no download named {name}", 404)
        response = Response(body, media_type=media,
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        return with_cookie(response, key)

    def route(path: str, handler, method: str) -> Route:
        async def endpoint(request: Request) -> Response:
            return await guarded(request, handler)
        return Route(path, endpoint, methods=[method])

    # The page's one script (forms/static/page.js: live sums, dropping files), shipped in the package.
    script = resources.files("megaroth.forms").joinpath("static", "page.js").read_bytes()

    async def page_script(request: Request) -> Response:
        if host_of(request) not in allowed_hosts:
            return PlainTextResponse("refused: megaroth serve answers only on 127.0.0.1/localhost", 403)
        response = Response(script, media_type="text/javascript; charset=utf-8")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-cache"
        return response

    app = Starlette(lifespan=lifespan, routes=[
        Route("/static/page.js", page_script, methods=["GET"]),
        route("/", show("forms"), "GET"),
        route("/questions", show("questions"), "GET"),
        route("/lines", show("lines"), "GET"),
        route("/guide", show("guide"), "GET"),
        route("/compare", show("compare"), "GET"),
        route("/view/{what:str}", view, "GET"),
        route("/download/{name:str}", download, "GET"),
        route("/upload", do_upload, "POST"),
        route("/boxes", do_boxes, "POST"),
        route("/answers", do_answers, "POST"),
        route("/people", do_people, "POST"),
        route("/software", do_software, "POST"),
        route("/reset", do_reset, "POST"),
    ])
    app.state.sessions = sessions  # read by tests (expiry, the cap); never served
    return app


def run(port: int = 8014, *, limits: Limits = DEFAULT_LIMITS, ready: Callable[[], None] | None = None) -> None:
    """Serve the page on 127.0.0.1:port until interrupted; a port already taken is said plainly
    (uvicorn would print its own error and stop) before anything claims to be serving."""
    import socket

    import uvicorn

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise UsageError(f"--port {port}: the port is in use on 127.0.0.1 (another program, or megaroth serve "
                             "already running: open http://127.0.0.1:%d/ or choose another --port)" % port) from None
    if ready is not None:
        ready()
    uvicorn.run(create_app(limits=limits), host="127.0.0.1", port=port, log_level="warning")
