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
import contextlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; "
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


class PageError(Exception):
    """An error to show on the page (bad input, a refused request)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>megaroth</title>
<style>
body{font-family:system-ui,sans-serif;max-width:70rem;margin:1rem auto;padding:0 1rem;line-height:1.4}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.error{background:#fee;border:2px solid #c00;padding:.5rem}
fieldset{margin:.7rem 0}iframe{width:100%;height:40rem;border:1px solid #999}
.sev-error{color:#a00}.sev-warning{color:#950}
</style></head><body>
<h1>megaroth — Form 1099-R to Form 1040</h1>
<p>This page runs on your computer only (127.0.0.1); nothing you upload leaves it, and it is
forgotten when <code>megaroth serve</code> stops.</p>
{% if error %}<div class="error" role="alert"><strong>Error:</strong> {{ error }}</div>{% endif %}

<form method="post" action="/upload" enctype="multipart/form-data">
<fieldset><legend>1. Your 1099-R PDFs, a case file (JSON) or a CSV</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="file" name="files" multiple accept=".pdf,.json,.csv,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,application/json,text/csv,image/png,image/jpeg,image/tiff">
<button type="submit">Read</button></fieldset></form>

<form method="post" action="/boxes">
<fieldset><legend>…or type the boxes of one Form 1099-R</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<label>Tax year <input name="tax_year" size="5" value="{{ default_year }}"></label>
<label>Box 1 <input name="box_1" size="10" required></label>
<label>Box 2a <input name="box_2a" size="10"></label>
<label><input type="checkbox" name="not_determined" value="1"> 2b taxable amount not determined</label>
<label>Box 4 <input name="box_4" size="10"></label>
<label>Box 5 <input name="box_5" size="10"></label>
<label>Box 7 code <input name="box_7" size="4" required></label>
<label><input type="checkbox" name="ira" value="1"> IRA/SEP/SIMPLE</label>
<button type="submit">Use this form</button></fieldset></form>

{% if people %}
<form method="post" action="/people">
<fieldset><legend>Are these forms all yours?</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<p>The forms name {{ people|length }} people. A plan often prints your TIN in full and an IRA custodian masks it, so
one person can look like two. They are put on one return only if you say so.</p>
<ol>{% for p in people %}<li>{{ p }}<br>
<label><input type="radio" name="whose:{{ loop.index0 }}" value="taxpayer" checked> me</label>
<label><input type="radio" name="whose:{{ loop.index0 }}" value="spouse"> my spouse (a joint return)</label></li>{% endfor %}</ol>
<button type="submit" name="same" value="yes">Put them on one return as marked</button>
<button type="submit" name="same" value="no">No: they are different people's</button>
</fieldset></form>
{% endif %}

{% if case %}
<h2>Case: {{ label }}</h2>
{% if rejected %}<div class="error" role="alert"><strong>Not read (left out of the lines):</strong><ul>
{% for r in rejected %}<li class="sev-error">{{ r }}</li>{% endfor %}</ul></div>{% endif %}
{% if questions %}
<form method="post" action="/answers">
<fieldset><legend>2. What the forms cannot say</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
{% for q in questions %}
<fieldset><legend>{{ q.form_label }}: {{ q.prompt }}</legend>
{% if q.kind == "allocation" %}
<table><tr><th>Destination</th><th>Amount (box 1 is ${{ q.total }})</th></tr>
{% for c in q.choices %}<tr><td><label for="{{ q.id }}:{{ c.value }}">{{ c.label }}</label></td>
<td><input id="{{ q.id }}:{{ c.value }}" name="q:{{ q.id }}:{{ c.value }}" size="12"
 value="{{ (q.current or {}).get(c.value, '') }}"></td></tr>{% endfor %}</table>
{% elif q.kind == "fact" %}
<p class="hint" id="hint:{{ q.id }}">Where to find it: {{ q.where }}{% if q.at_stake %} Up to {{ money(q.at_stake) }}
depends on it.{% endif %} Leave it blank if you do not know: the result then says it is incomplete.</p>
<label>{{ q.fact_title }} <input name="q:{{ q.id }}" value="{{ q.current if q.current is not none else '' }}"
 aria-describedby="hint:{{ q.id }}"{% if q.value_kind == "date" %} placeholder="YYYY-MM-DD"{% elif q.value_kind == "money" %} inputmode="decimal"{% endif %}></label>
{% elif q.choices %}
{% for c in q.choices %}<label><input type="radio" name="q:{{ q.id }}" value="{{ c.value }}"
 {% if q.current == c.value %}checked{% endif %}> {{ c.label }}</label><br>{% endfor %}
{% else %}
<input name="q:{{ q.id }}" value="{{ q.current or '' }}" placeholder="YYYY-MM-DD">
{% endif %}
</fieldset>
{% endfor %}
<button type="submit">Apply the answers</button></fieldset></form>
{% endif %}

<h2>3. Form 1040, tax year {{ analysis.tax_year }}</h2>
{% if not analysis.complete %}<p class="error">The lines miss something: see the findings.</p>{% endif %}
{% if analysis.missing_facts %}<div class="error" role="status"><p><strong>Not final: facts still needed.</strong>
Answer them in step 2; the lines are computed without them.</p><ul>
{% for m in analysis.missing_facts %}<li>{{ m.message }}</li>{% endfor %}</ul></div>{% endif %}
<table><tr><th>Line</th><th>Description</th><th>Amount</th></tr>
{% for line in analysis.lines %}<tr><td>{{ line.key }}</td><td>{{ line.label }}</td>
<td class="n">{{ money(line.amount) }}</td></tr>{% endfor %}</table>
{% for n in analysis.notations %}<p>Notation: {{ n.text if n.text is defined else n }}</p>{% endfor %}
<h3>Form 8606</h3><p>{{ analysis.form_8606.summary }}</p>
<h3>Findings</h3>
{% if analysis.findings or analysis.errors %}<ul>
{% for e in analysis.errors %}<li class="sev-error">error: {{ e.message }}{% if e.field %} ({{ e.field }}){% endif %}</li>{% endfor %}
{% for f in analysis.findings %}<li class="sev-{{ f.severity.value }}">{{ f.severity.value }} {{ f.code }}{% if f.form_id %} [{{ f.form_id }}]{% endif %}: {{ f.message }}</li>{% endfor %}
</ul>{% else %}<p>None.</p>{% endif %}

<p>Download: <a href="/download/worksheet.pdf">worksheet (PDF)</a> ·
<a href="/download/worksheet.md">worksheet (Markdown)</a> ·
<a href="/download/worksheet.html">worksheet (HTML)</a> · <a href="/download/worksheet.json">JSON</a> ·
<a href="/download/case.json">case file to keep</a> (TINs masked) ·
<a href="/download/{{ forms_zip }}">the IRS forms, filled (zip: Form 1040 and, when they apply,
Schedule 2, Form 8606 and Form 5329; partial forms for reference)</a></p>
<p>What to type into your tax software (TurboTax, H&amp;R Block, FreeTaxUSA, Drake, UltraTax), each step with
the page it comes from: <a href="/view/guide" target="_blank">entry guide</a> ·
<a href="/download/guide.md">Markdown</a> · <a href="/download/guide.html">HTML</a></p>
<h3>Worksheet</h3>
<iframe src="/view/worksheet" title="worksheet"></iframe>

<form method="post" action="/software" enctype="multipart/form-data">
<fieldset><legend>4. Compare with your tax software: the Form 1040 PDF it produced (or its JSON/CSV figures)</legend>
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="file" name="software" accept=".pdf,.json,.csv">
<button type="submit">Compare</button></fieldset></form>
{% if comparison %}
<h3>Comparison with {{ software_name }}: {{ "they agree" if comparison.agree else "they differ" }}</h3>
{% if comparison.diagnoses %}<ol class="diagnoses">
{% for d in comparison.diagnoses %}<li><strong>{{ d.title }}</strong>. {{ d.explanation }}
<br><em>What to change in the software:</em> {{ d.fix }}</li>{% endfor %}</ol>{% endif %}
<iframe src="/view/compare" title="comparison"></iframe>
{% endif %}

<form method="post" action="/reset"><input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit">Forget this case</button></form>
{% endif %}
</body></html>
"""


def _size(limit: int) -> str:
    return f"{limit // MB} MiB" if limit >= MB and limit % MB == 0 else f"{limit:,} bytes"


def _money(amount: Decimal | str | None) -> str:
    return "" if amount is None else f"${Decimal(str(amount)):,.2f}"


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
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

    def page(session: Session, key: str, error: str | None = None, status: int = 200) -> Response:
        context: dict[str, Any] = {"error": error, "csrf": session.csrf, "case": session.case,
                                   "label": session.label, "default_year": api.default_year(), "money": _money,
                                   "questions": [], "analysis": None, "comparison": None,
                                   "software_name": session.software_name,
                                   "rejected": session.rejected, "forms_zip": "", "people": session.people}
        if session.case is not None:
            try:
                loaded, analysis = analysis_of(session)
                context["analysis"] = analysis
                context["forms_zip"] = IRS_FORMS_ZIP.format(year=analysis.tax_year)
                context["questions"] = qs.page_questions(session.case, analysis.missing_facts)
                if session.software is not None:
                    _, context["comparison"] = api.compare(loaded, session.software)
            except MegarothError as exc:
                session.case, session.software = None, None
                context.update(case=None, error=str(exc))
                status = 400
        return with_cookie(HTMLResponse(_PAGE.render(context), status_code=status), key)

    async def guarded(request: Request, handler) -> Response:
        if host_of(request) not in allowed_hosts:
            return PlainTextResponse("refused: megaroth serve answers only on 127.0.0.1/localhost", 403)
        key, session, expired = session_of(request)
        if expired:  # nothing of the old session is left to act on: say so, whatever was asked
            return page(session, key, EXPIRED.format(minutes=idle_timeout // 60), 410)
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
                    await handler(form, session)
                return with_cookie(RedirectResponse("/", status_code=303), key)
            return await handler(request, session, key)
        except PageError as exc:
            return page(session, key, exc.message, exc.status)
        except qs.AnswerError as exc:
            return page(session, key, f"answer to {exc.question_id}: {exc.message}", 400)
        except MegarothError as exc:
            return page(session, key, str(exc), 400)

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

    async def do_upload(form, session: Session) -> None:
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
            return
        session.case, session.label, session.software = api.case_data(loaded), loaded.source.file or "", None
        session.rejected = [str(e) for e in loaded.errors]

    async def do_people(form, session: Session) -> None:
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

    async def do_boxes(form, session: Session) -> None:
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

    async def do_answers(form, session: Session) -> None:
        if session.case is None:
            raise PageError("no case yet: upload a file first")
        answers: dict[str, Any] = {}
        _, analysis = analysis_of(session)
        for question in qs.page_questions(session.case, analysis.missing_facts):
            if question.kind == qs.ALLOCATION:
                amounts = {c.value: str(form.get(f"q:{question.id}:{c.value}") or "") for c in question.choices}
                if any(v.strip() for v in amounts.values()):
                    answers[question.id] = amounts
            else:
                answers[question.id] = str(form.get(f"q:{question.id}") or "")
        updated = qs.apply_answers(session.case, answers)
        loaded = api.case_from_dict(updated, label=session.label)
        if loaded.errors:
            raise PageError("; ".join(str(e) for e in loaded.errors))
        session.case = api.case_data(loaded)

    async def do_software(form, session: Session) -> None:
        if session.case is None:
            raise PageError("no case yet: upload your 1099-Rs first")
        files = await files_of(form, "software")
        if not files:
            raise PageError("choose the Form 1040 PDF (or figures file) to compare")
        name, data = files[0]
        session.software = api.load_software(name, None, session.case["tax_year"], limits=limits, data=data)
        session.software_name = name

    async def do_reset(form, session: Session) -> None:
        session.case, session.software, session.label, session.rejected = None, None, "", []
        session.pending, session.people, session.people_cases = [], [], []

    async def show(request: Request, session: Session, key: str) -> Response:
        return page(session, key)

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

            return with_cookie(HTMLResponse(render_guide(api.entry_guides(loaded, analysis), "html")), key)
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

    app = Starlette(lifespan=lifespan, routes=[
        route("/", show, "GET"),
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
