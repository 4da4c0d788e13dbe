#!/usr/bin/python3
"""heluo's /tmserver endpoint against Debian's translate-toolkit tmserver, side by side.

usage: tmserver_contract_test.py HELUO_SERVER

heluo's own TMX export (over HTTP) is loaded into translate-toolkit's TM database and served by its
`tmserver`; both get the same requests (report sentences as they are and altered: other numbers, a
character dropped, a phrase added). The answers must have the same shape and field types, and heluo must
return every pair tmserver returns at quality >= 70 (heluo may return more: its recall is exact, while
tmserver only scores rows its full-text prefilter lets through).

Two translate-toolkit 3.8.4 bugs are worked around, both outside heluo:
- its TMX reader ignores the header's srclang and labels every source "en", so the database is built with
  translate-toolkit's own TMDB API with the store's languages set to zh_CN → en (what
  `tmserver -f file.tmx -s zh_CN -t en` would build if the reader honoured the header);
- under cheroot, PATH_INFO arrives latin-1-decoded (PEP 3333) and tmserver never re-decodes it as UTF-8, so
  no Chinese text in a URL ever matches; tmserver's own WSGI app (TMServer.rest) is served by its own
  launcher (translate.misc.wsgi) behind a one-line shim that re-decodes the path.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_test  # noqa: E402  (the same Server helper as the other HTTP tests)


# translate-toolkit's tmserver main() with the PEP 3333 shim (see above); max 10 candidates, similarity >= 70.
TMSERVER = """
import sys
from translate.misc import wsgi
from translate.services.tmserver import TMServer
app = TMServer(sys.argv[1], None, max_candidates=10, min_similarity=70, max_length=1000, prefix="/tmserver")
def utf8_path(environ, start_response):
    environ["PATH_INFO"] = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
    return app.rest(environ, start_response)
wsgi.launch_server("127.0.0.1", int(sys.argv[2]), utf8_path)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=120) as r:
        return json.loads(r.read())


class TmserverContractTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="heluo-tmserver-")
        self.heluo = http_test.Server(os.path.join(self.work, "data"), tokens=False)
        self.tmserver = None

    def tearDown(self):
        if self.tmserver is not None:
            self.tmserver.terminate()
            self.tmserver.wait(timeout=30)
        self.heluo.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def start_tmserver(self, tmx_path):
        from translate.storage import tmdb, tmx
        db_path = os.path.join(self.work, "tm.db")
        with open(tmx_path, "rb") as f:
            store = tmx.tmxfile(f)
        store.setsourcelanguage("zh_CN")
        store.settargetlanguage("en")
        tmdb.TMDB(db_path).add_store(store, "zh_CN", "en")
        port = free_port()
        self.tmserver = subprocess.Popen(["/usr/bin/python3", "-c", TMSERVER, db_path, str(port)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = "http://127.0.0.1:%d/tmserver" % port
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                get_json(base + "/zh_CN/en/unit/" + urllib.parse.quote("政府工作报告"))
                return base
            except OSError:
                time.sleep(0.2)
        self.fail("tmserver did not start")

    def test_same_shape_and_heluo_returns_every_pair_tmserver_returns(self):
        tmx_path = os.path.join(self.work, "heluo.tmx")
        with urllib.request.urlopen(self.heluo.base + "/v1/tm:export?format=tmx", timeout=120) as r:
            with open(tmx_path, "wb") as f:
                f.write(r.read())
        theirs = self.start_tmserver(tmx_path)
        ours = self.heluo.base + "/tmserver"

        with open(tmx_path, encoding="utf-8") as f:
            sources = re.findall(r'<tuv xml:lang="zh-CN">\s*<seg>([^<]*)</seg>', f.read())
        self.assertEqual(len(sources), http_test.BUNDLED_SEGMENTS)
        queries = []
        for s in sources[::9]:
            queries.append(s)                                                  # As stored.
            queries.append(re.sub(r"\d+", lambda m: str(int(m.group()) + 3), s))  # Other numbers.
            if len(s) > 8:
                queries.append(s[:len(s) // 2] + s[len(s) // 2 + 1:])          # A character dropped.
            queries.append(s.rstrip("。") + "，并取得新进展。")                  # A phrase added.
        queries = [t for t in dict.fromkeys(queries) if t.strip()]

        compared, pairs_theirs, pairs_ours_extra = 0, 0, 0
        for lang_pair in (("zh_CN", "en"),):
            for text in queries:
                path = "/%s/%s/unit/%s" % (lang_pair[0], lang_pair[1], urllib.parse.quote(text, safe=""))
                a, b = get_json(theirs + path), get_json(ours + path)
                self.assertIsInstance(a, list)
                self.assertIsInstance(b, list)
                for unit in a + b:
                    self.assertIsInstance(unit, dict)
                ref = a[0] if a else None
                for unit in b:
                    if ref is not None:
                        self.assertTrue(set(ref) <= set(unit), (ref, unit))  # tmserver's fields, at least.
                        for key in ref:
                            self.assertIs(type(unit[key]), type(ref[key]), (key, ref, unit))
                    self.assertEqual(set(unit), {"source", "target", "context", "quality", "rank"})
                qualities = [u["quality"] for u in b]
                self.assertEqual(qualities, sorted(qualities, reverse=True), b)  # Best first, as tmserver.
                ours_pairs = {(u["source"], u["target"]) for u in b}
                for unit in a:
                    if unit["quality"] >= 70:
                        pairs_theirs += 1
                        self.assertIn((unit["source"], unit["target"]), ours_pairs,
                                      "tmserver found %r for %r (quality %s), heluo did not: %r" %
                                      (unit["source"], text, unit["quality"], b))
                pairs_ours_extra += len(ours_pairs - {(u["source"], u["target"]) for u in a})
                compared += 1
        # Language codes as Weblate sends them reach the same memory; others answer [] as tmserver does.
        probe = "/unit/" + urllib.parse.quote(sources[0], safe="")
        expected = get_json(ours + "/zh_CN/en" + probe)
        self.assertTrue(expected)
        for codes in ("zh_Hans/en", "zh-hans/en_US", "zh/en-GB", "zh-CN/EN"):
            self.assertEqual(get_json(ours + "/" + codes + probe), expected, codes)
        for codes in ("de/en", "en/zh_CN", "zh_TW/en"):
            self.assertEqual(get_json(ours + "/" + codes + probe), [], codes)
            self.assertEqual(get_json(theirs + "/" + codes + probe), [], codes)
        print("\n%d requests: tmserver returned %d pairs at quality >= 70, heluo all of them and %d more" %
              (compared, pairs_theirs, pairs_ours_extra))
        self.assertGreaterEqual(pairs_theirs, 40)  # The comparison compared something (57 pairs when written).


if __name__ == "__main__":
    http_test.SERVER = sys.argv.pop(1)
    unittest.main(verbosity=2)
