"""``python -m book serve [--port N] [--host H]``: a live preview of the HTML edition.

The HTML edition is built into ``_build/serve`` by one Sphinx application kept alive
(:mod:`book.build.preview`); every save rebuilds it in this process and each open page reloads
(a WebSocket tells it to). The server is Starlette's, run by uvicorn; watchfiles reports the
saves. A build's errors are shown at the top of every page until a save fixes them. Each
session starts from an empty preview cache: nothing in it is checked against a record, so
nothing in it is kept from one session to the next.

The preview answers only its own address: a request whose ``Host`` is not the address it serves
gets 400 (a web page of another site cannot reach it by DNS rebinding), a request or WebSocket
whose ``Origin`` is another site gets 403, a path with a ``..`` segment gets 400. It listens on
127.0.0.1 unless told otherwise.

The landing page links to ``downloads/<name>.pdf`` and ``.epub``: they are served from
``dist/`` as it is at the time of the request, built there first if ``dist/`` has none yet
(``--no-downloads`` skips that).
"""

from __future__ import annotations

import asyncio
import html
import os
import socket
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from book.build.distdir import remove_tree
from book.build.preview import Outcome, Preview
from book.errors import BookError
from book.sources.outline import load_outline

RELOAD_PATH = "/_preview/reload"
# What the watcher leaves alone: the builds, and in this repository the package and its tests
# (a change to the package's code needs a new preview).
IGNORED = ("_build", "dist", "book", "tests")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def build_missing_downloads(root: Path, dist: Path) -> None:
    """Build the PDF and EPUB into ``dist`` if it has none yet (the landing page links them)."""
    name = load_outline(root / "outline.toml").filename
    missing = [ext for ext in ("pdf", "epub") if not (dist / f"{name}.{ext}").exists()]
    if missing:
        from book.build.publish import publish

        print(
            f"==> {dist}/ has no {' or '.join(missing).upper()} yet: building it for the preview's downloads"
        )
        try:
            publish(missing, dist, root=root)
        except BookError as error:  # the preview shows the error; the downloads wait for a build
            print(f"{error}\nwarning: the download links need a build that succeeds (make)", file=sys.stderr)


def serve(root: Path, port: int, host: str = "127.0.0.1", downloads: bool = True) -> int:
    """Serve the live preview of the book in ``root`` until interrupted."""
    import logging

    import uvicorn

    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # it reports every change it sees
    root = root.resolve()
    if not (root / "conf.py").exists():
        raise BookError("no conf.py here: run the command in the book's folder", root / "conf.py")
    site, doctrees = root / "_build" / "serve", root / "_build" / "serve-doctrees"
    for cache in (site, doctrees):  # not kept between sessions: never checked
        try:
            remove_tree(cache)
        except OSError as exc:
            raise BookError(f"cannot remove the preview's last cache: {exc.strerror}", cache) from None
    if downloads:
        build_missing_downloads(root, root / "dist")
    sock = _listen(host, port)
    port = sock.getsockname()[1]
    preview = Preview(root, site, doctrees)
    print("==> building the HTML edition for the preview", flush=True)
    _report(preview.build())
    app = preview_app(preview, root, _allowed_hosts(host), port)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    print(f"==> serving the HTML edition at http://{_url_host(host)}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``, or a BookError saying why not."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(128)
    except OSError as exc:
        raise BookError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another port: make serve PORT=8001",
        ) from None
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _allowed_hosts(host: str) -> set[str]:
    """The names a request may give in ``Host``: the address served, and the loopback names
    when it is a loopback address; every name of this machine when it serves all addresses."""
    names = {host.lower().strip("[]")}
    if names & LOOPBACK or host in ("0.0.0.0", "::", ""):
        names |= LOOPBACK
    if host in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        for family in (socket.AF_INET, socket.AF_INET6):
            with suppress(OSError):
                names |= {str(i[4][0]) for i in socket.getaddrinfo(socket.gethostname(), None, family)}
    return names


# -- the ASGI application -------------------------------------------------------------------


def preview_app(preview: Preview, root: Path, hosts: set[str], port: int) -> Any:
    """The preview's Starlette application: the site, the downloads, the reload socket."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import FileResponse, HTMLResponse
    from starlette.routing import Mount, Route, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    reloads = _Reloads(preview, root)
    name = load_outline(root / "outline.toml").filename
    offered = {f"{name}.pdf", f"{name}.epub"}

    async def download(request: Any) -> Any:
        file = request.path_params["file"]
        path = root / "dist" / file
        if file not in offered or not path.is_file():
            raise HTTPException(404)
        return FileResponse(path)

    async def not_found(request: Any, exc: Exception) -> Any:
        return HTMLResponse(_NOT_FOUND.format(path=html.escape(request.url.path)), status_code=404)

    preview.outdir.mkdir(parents=True, exist_ok=True)
    return Starlette(
        routes=[
            WebSocketRoute(RELOAD_PATH, reloads.endpoint),
            Route("/downloads/{file}", download),
            Mount("/", _Gated(StaticFiles(directory=preview.outdir, html=True), reloads.gate)),
        ],
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=sorted(hosts)),
            Middleware(_Guard, hosts=hosts, port=port),
            Middleware(_Inject, errors=lambda: preview.errors),
        ],
        exception_handlers={404: not_found},
        lifespan=reloads.lifespan,
    )


_NOT_FOUND = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not in the book</title></head>
<body><main><h1>Not in the book</h1><p>The book has no page <code>{path}</code>.
<a href="/">Its first page</a>.</p></main></body></html>
"""


class _Reloads:
    """Watch the book's folder, rebuild on every change, and tell the open pages to reload."""

    def __init__(self, preview: Preview, root: Path) -> None:
        self.preview, self.root = preview, root
        self.sockets: set[Any] = set()
        self.sphinx = ThreadPoolExecutor(1, thread_name_prefix="sphinx")  # one thread for Sphinx
        self.gate = _Gate()

    @asynccontextmanager
    async def lifespan(self, app: Any) -> Any:
        stop = asyncio.Event()
        task = asyncio.create_task(self.watch(stop))
        try:
            yield
        finally:
            stop.set()
            await task
            self.sphinx.shutdown(wait=True)
            self.preview.close()

    async def watch(self, stop: asyncio.Event) -> None:
        import watchfiles

        loop = asyncio.get_running_loop()
        default = watchfiles.DefaultFilter()  # editors' swap and backup files, .git, .venv, ...

        def wanted(change: Any, path: str) -> bool:
            top = Path(os.path.relpath(path, self.root)).parts[0]
            return top not in IGNORED and default(change, path)

        watching = False
        # every half second without a change it says so: the first time, the watcher is known
        # to run, and what was saved while the preview started is built (Sphinx sees it by date)
        async for changes in watchfiles.awatch(
            self.root, watch_filter=wanted, stop_event=stop, rust_timeout=500, yield_on_timeout=True
        ):
            if not changes and watching:
                continue
            watching = True
            changed = sorted({Path(path) for _, path in changes})
            async with self.gate.building():
                outcome = await loop.run_in_executor(self.sphinx, self.preview.build, changed)
            if changes or outcome.read or outcome.removed:
                _report(outcome, [p.relative_to(self.root).as_posix() for p in changed])
                await self.reload()

    async def reload(self) -> None:
        """Tell every open page to load itself again."""
        for ws in list(self.sockets):
            try:
                await ws.send_text("reload")
            except Exception:  # a page closed meanwhile
                self.sockets.discard(ws)

    async def endpoint(self, websocket: Any) -> None:
        await websocket.accept()
        self.sockets.add(websocket)
        try:
            async for _ in websocket.iter_text():
                pass
        finally:
            self.sockets.discard(websocket)


class _Gate:
    """Pages and builds take turns: Sphinx rewrites a page in place, so a build waits for the
    pages being sent, and a page asked for during a build waits for it to end."""

    def __init__(self) -> None:
        self.sending = 0
        self.writing = False
        self.turn = asyncio.Condition()

    @asynccontextmanager
    async def building(self) -> Any:
        async with self.turn:
            self.writing = True
            await self.turn.wait_for(lambda: self.sending == 0)
        try:
            yield
        finally:
            async with self.turn:
                self.writing = False
                self.turn.notify_all()

    @asynccontextmanager
    async def serving(self) -> Any:
        async with self.turn:
            await self.turn.wait_for(lambda: not self.writing)
            self.sending += 1
        try:
            yield
        finally:
            async with self.turn:
                self.sending -= 1
                self.turn.notify_all()


class _Gated:
    """An ASGI application (the site) that answers only between builds."""

    def __init__(self, app: Any, gate: _Gate) -> None:
        self.app, self.gate = app, gate

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async with self.gate.serving():
            await self.app(scope, receive, send)


def _report(outcome: Outcome, changed: list[str] | None = None) -> None:
    what = f" ({', '.join(changed)})" if changed else ""
    if outcome.errors:
        print("\n".join(outcome.errors), file=sys.stderr, flush=True)
        print(f"==> built with errors in {outcome.seconds:.2f} s{what}: shown on every page", flush=True)
    else:
        print(f"==> built in {outcome.seconds:.2f} s{what}", flush=True)


# -- middleware -----------------------------------------------------------------------------


def _refusal(scope: dict[str, Any], hosts: set[str], port: int) -> tuple[int, str] | None:
    """Why a request is refused (status, text), or None: a ``..`` in its path, or an
    ``Origin`` that is not this preview."""
    path = scope.get("path", "")
    for form in (path, unquote(path), unquote(scope.get("raw_path", b"").decode("latin-1"))):
        if "\\" in form or "\0" in form or ".." in PurePosixPath(form).parts:
            return 400, "the preview serves no path with '..'"
    origin = dict(scope.get("headers", [])).get(b"origin")
    if origin is not None:
        parts = urlsplit(origin.decode("latin-1"))
        try:
            same = parts.scheme == "http" and parts.hostname in hosts and (parts.port or 80) == port
        except ValueError:
            same = False
        if not same:
            return 403, "the preview answers only pages of its own address"
    return None


class _Guard:
    """Refuse a path with ``..`` (400) and a foreign ``Origin`` (403), HTTP and WebSocket."""

    def __init__(self, app: Any, hosts: set[str], port: int) -> None:
        self.app, self.hosts, self.port = app, hosts, port

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            refused = _refusal(scope, self.hosts, self.port)
            if refused is not None:
                from starlette.responses import PlainTextResponse

                await PlainTextResponse(refused[1], status_code=refused[0])(scope, receive, send)
                return
        await self.app(scope, receive, send)


_SCRIPT = (
    '<script>(function () { var ws = new WebSocket("ws://" + location.host + "' + RELOAD_PATH + '");'
    " ws.onmessage = function () { location.reload(); }; })();</script>\n"
)
_BANNER = (
    '<div id="book-preview-errors" role="alert" style="position:fixed;z-index:10000;top:0;left:0;'
    "right:0;max-height:60vh;overflow:auto;margin:0;padding:1em 1.5em;background:#fff0f0;"
    'color:#6b0000;border-bottom:3px solid #b00000;font:15px/1.4 sans-serif">'
    "<strong>The book did not build: fix this and save.</strong>"
    '<pre style="white-space:pre-wrap;margin:.5em 0 0;font:14px/1.4 monospace">{}</pre></div>\n'
)


class _Inject:
    """Every HTML page gets the reload script and, while the book has errors, a banner with
    them; nothing is cached (a page's state is the last build's)."""

    def __init__(self, app: Any, errors: Callable[[], list[str]]) -> None:
        self.app, self.errors = app, errors

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = {
            **scope,
            "headers": [
                (k, v) for k, v in scope["headers"] if k not in (b"if-none-match", b"if-modified-since")
            ],
        }
        extra = b""

        async def send_with(message: Any) -> None:
            nonlocal extra
            if message["type"] == "http.response.start":
                from starlette.datastructures import MutableHeaders

                headers = MutableHeaders(scope=message)
                headers["Cache-Control"] = "no-store"
                if headers.get("content-type", "").startswith("text/html"):
                    errors = self.errors()
                    banner = _BANNER.format(html.escape("\n".join(errors))) if errors else ""
                    extra = (banner + _SCRIPT).encode("utf-8")
                    if "content-length" in headers:
                        headers["Content-Length"] = str(int(headers["content-length"]) + len(extra))
            elif message["type"] == "http.response.body" and extra and not message.get("more_body"):
                if scope["method"] == "HEAD":
                    extra = b""
                message = {**message, "body": message.get("body", b"") + extra}
            await send(message)

        await self.app(scope, receive, send_with)
