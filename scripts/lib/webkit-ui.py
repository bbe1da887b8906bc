#!/usr/bin/python3
"""The browser UI of `scicd serve` in a bare WebKitGTK window: the desktop app's engine and its
settings (scripts/bench-webkit-ui.sh; src-tauri/app/webview_memory.rs: document-viewer cache model,
no page cache, compositing off without a GPU render node), without Tauri. It signs in through the
sign-in page, parks on ROUTE and prints `parked: USER at ROUTE` (or `not signed in: PAGE TEXT`), then
stays open until killed; its first line is `pid PID` (the process whose children are WebKit's). The UI
talks HTTP + SSE to the server, so what the WebKit processes hold per run is the page's and WebKit's,
not Tauri's IPC (which evaluates one script per event; WEBKIT_UI_EVAL_EVENTS adds that back).

Usage: webkit-ui.py URL ROUTE USER PASSWORD [MEMORY_LIMIT_MB]
  MEMORY_LIMIT_MB: WebKit's memory-pressure settings for the web process (WebKitMemoryPressureSettings,
  WebKitGTK >= 2.34), polled every WEBKIT_UI_POLL seconds (default 2); 0 or absent: WebKit's defaults.
  WEBKIT_UI_EVAL_EVENTS=TOKEN: also delivers every app event of the server (GET /api/v1/events) the
  way Tauri 2 delivers an event to its webview: one evaluated script per event with the payload
  spliced into its source (tauri::event::emit_js_script), here to a function that does nothing, so
  that only the cost of evaluating them is added to the page's own. WEBKIT_UI_EVAL_ARGS=1 passes the
  payload as an argument of one constant function body instead
  (webkit_web_view_call_async_javascript_function): the same work without a new source per event.
Needs the system python3 with python3-gi and gir1.2-webkit2-4.1, and a DISPLAY.
"""
import json
import os
import sys
import threading
import urllib.request

if not any(n.startswith("renderD") for n in (os.listdir("/dev/dri") if os.path.isdir("/dev/dri") else [])):
    os.environ.setdefault("WEBKIT_DISABLE_COMPOSITING_MODE", "1")

try:
    import gi

    gi.require_version("Gtk", "3.0")
    gi.require_version("WebKit2", "4.1")
    from gi.repository import GLib, Gtk, WebKit2
except (ImportError, ValueError) as e:
    sys.exit(f"WebKitGTK from Python is not available ({e}): apt-get install python3-gi gir1.2-webkit2-4.1, "
             "and run this with /usr/bin/python3")

SIGN_IN = """(() => {
  const field = (id) => document.querySelector(`input[data-testid="${id}"], [data-testid="${id}"] input`);
  const set = (id, value) => {
    const el = field(id);
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  };
  set("signin-name", %s);
  set("signin-password", %s);
  document.querySelector('[data-testid="signin-submit"]').click();
})()"""

WHERE = """(document.querySelector('[data-testid="user-menu-name"]')?.textContent ?? "")
  + "\\n" + location.hash + "\\n" + document.body.innerText.slice(0, 300).replace(/\\s+/g, " ")"""


EMIT = "(function () { const fn = window['__webkit_ui_emit']; fn && fn({event: '%s', payload: %s}, [1]) })()"


ARGS_BODY = "const fn = window.__webkit_ui_emit; fn && fn({event, payload: JSON.parse(payload)}, [1]);"


def eval_events(url, token, run_js, call_js):
    """Reads the server's app events and evaluates one script per event, as Tauri's IPC does."""
    req = urllib.request.Request(f"{url}/api/v1/events", headers={"Authorization": f"Bearer {token}",
                                                                  "Accept": "text/event-stream"})
    with urllib.request.urlopen(req, timeout=3600) as stream:
        event = None
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event and call_js:
                payload = line[5:].strip()
                GLib.idle_add(lambda e=event, p=payload: call_js(ARGS_BODY, {"event": e, "payload": p}) or False)
            elif line.startswith("data:") and event:
                script = EMIT % (event, line[5:].strip())
                GLib.idle_add(lambda s=script: run_js(s) or False)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    print(f"pid {os.getpid()}", flush=True)
    url, route, user, password = sys.argv[1:5]
    limit = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    props = {}
    if limit:
        pressure = WebKit2.MemoryPressureSettings.new()
        pressure.set_memory_limit(limit)
        pressure.set_poll_interval(float(os.environ.get("WEBKIT_UI_POLL", "2")))
        props["memory_pressure_settings"] = pressure
    context = WebKit2.WebContext(**props)
    context.set_cache_model(WebKit2.CacheModel.DOCUMENT_VIEWER)
    view = WebKit2.WebView.new_with_context(context)
    view.get_settings().set_enable_page_cache(False)
    window = Gtk.Window()
    window.set_default_size(1280, 800)
    window.add(view)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()

    def run_js(code, then=None):
        def done(v, result):
            try:
                value = v.evaluate_javascript_finish(result)
            except GLib.Error as e:
                print(f"script failed: {e.message}", flush=True)
                return
            if then:
                then(value.to_string() if value else "")

        view.evaluate_javascript(code, -1, None, None, None, done)

    def call_js(body, args):
        variant = GLib.Variant("a{sv}", {k: GLib.Variant("s", v) for k, v in args.items()})

        def done(v, result):
            try:
                v.call_async_javascript_function_finish(result)
            except GLib.Error as e:
                print(f"call failed: {e.message}", flush=True)

        view.call_async_javascript_function(body, -1, variant, None, None, None, done)

    token = os.environ.get("WEBKIT_UI_EVAL_EVENTS")
    if token:
        run_js("window.__webkit_ui_emit = function () {}")
        by_args = call_js if os.environ.get("WEBKIT_UI_EVAL_ARGS") == "1" else None
        threading.Thread(target=eval_events, args=(url, token, run_js, by_args), daemon=True).start()

    def report(text):
        name, where, page = (text.split("\n") + ["", ""])[:3]
        if name:
            print(f"parked: {name} at {where}", flush=True)
        else:
            print(f"not signed in: {page}", flush=True)

    def park():
        run_js(f"location.hash = {json.dumps('#' + route)}")
        GLib.timeout_add(2000, lambda: run_js(WHERE, report) or False)
        return False

    def sign_in():
        run_js(SIGN_IN % (json.dumps(user), json.dumps(password)))
        GLib.timeout_add(6000, park)  # the password hash takes a moment on a busy machine
        return False

    started = []

    def loaded(_view, event):
        if event == WebKit2.LoadEvent.FINISHED and not started:
            started.append(True)
            GLib.timeout_add(1500, sign_in)

    view.connect("load-changed", loaded)
    view.load_uri(f"{url}/#/signin")
    Gtk.main()


if __name__ == "__main__":
    main()
