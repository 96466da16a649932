"""Stand-in for Harena's FastAPI services: `service.py user|search|conversation`.

Answers JSON on $PORT: GET /health, and anything under /api/<name>/. The conversation service
calls the search service by its URL (SEARCH_SERVICE_URL), as the real ones call each other.
Services that sign tokens refuse to start without JWT_SECRET. Python standard library only.
"""

import json
import os
import signal
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME = sys.argv[1] if len(sys.argv) > 1 else "user"
PORT = int(os.environ.get("PORT", "8000"))

if NAME in ("user", "conversation") and not os.environ.get("JWT_SECRET"):
    print(f"{NAME}-service: JWT_SECRET is not set (the SECRET_KEY secret)", file=sys.stderr)
    sys.exit(2)


def configured(var):
    return "configured" if os.environ.get(var) else "missing"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        print(f"{NAME}-service: {self.command} {self.path} {args[1] if len(args) > 1 else ''}", flush=True)

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/health":
            return self.answer(200, {"status": "ok", "service": NAME})
        if path.startswith(f"/api/{NAME}"):
            body = {"service": NAME, "path": path, "database": configured("DB_URL")}
            if NAME == "search":
                body["search"] = configured("SEARCH_URL")
            if NAME == "conversation":
                body["search_service"] = self.call_search()
            return self.answer(200, body)
        return self.answer(404, {"error": "not found", "service": NAME, "path": path})

    def call_search(self):
        url = os.environ.get("SEARCH_SERVICE_URL")
        if not url:
            return "unknown"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                return json.loads(response.read()).get("status", "?")
        except OSError as error:
            return f"unreachable: {error}"


server = ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), PORT), Handler)
server.daemon_threads = True
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
print(f"{NAME}-service listening on {PORT}", flush=True)
server.serve_forever()
