#!/usr/bin/python3
"""The web console in a real browser: Debian's chromium, headless, driven by chromium-driver through
python3-selenium, against the real heluo-server on free loopback ports.

usage: web_console_test.py HELUO_SERVER [unittest arguments]

One server and one browser session serve every case (they run in the order of their names); each case ends
by reading the browser console, and a logged error the case did not expect fails it. Expected numbers come
from the JSON API (RecognizeTerms, LookupTerm, Lookup, Stats), never from constants here.
HELUO_WEB_SCREENSHOTS=DIR saves the screenshots there (docs/images/ has the committed ones);
HELUO_WEB_PERF=FILE writes the Performance API figures as JSON.
"""
import json
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http"))
import http_test  # noqa: E402  (the Server class and call helpers of the HTTP tests)
from http_test import EDITOR, READER, call, call_json, q  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SERVER = BROWSER = WORK = None
SHOTS = os.environ.get("HELUO_WEB_SCREENSHOTS", "")
PERF = {}

# A paragraph of the 2021 report as the bundled TM holds it: the sources of consecutive segments.
def report_paragraph(first, count):
    status, body = call_json(SERVER.base, "GET", "/v1/segments?page_size=%d" % (first + count))
    return "".join(s["source"] for s in body["segments"][first:first + count])


def setUpModule():
    global SERVER, BROWSER, WORK
    WORK = tempfile.mkdtemp(prefix="heluo-web-")
    SERVER = http_test.Server(os.path.join(WORK, "data"))
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=en-US", "--no-first-run", "--disable-extensions",
                "--user-data-dir=" + os.path.join(WORK, "chromium")):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver",
                                      log_output=os.path.join(WORK, "chromedriver.log")) \
        if hasattr(webdriver, "ChromeService") else webdriver.chrome.service.Service("/usr/bin/chromedriver")
    BROWSER = webdriver.Chrome(service=service, options=options)
    BROWSER.set_page_load_timeout(60)
    # Copy buttons write to the clipboard (the tests read it back); exports download into WORK/downloads.
    BROWSER.execute_cdp_cmd("Browser.grantPermissions", {"origin": SERVER.base, "permissions":
                                                         ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    BROWSER.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow",
                                                            "downloadPath": os.path.join(WORK, "downloads")})


def tearDownModule():
    if BROWSER is not None:
        BROWSER.quit()
    if SERVER is not None:
        SERVER.stop()
    if os.environ.get("HELUO_WEB_PERF") and PERF:
        with open(os.environ["HELUO_WEB_PERF"], "w") as f:
            json.dump(PERF, f, indent=2)
    shutil.rmtree(WORK, ignore_errors=True)


class WebConsoleTest(unittest.TestCase):
    # Console errors a case expects (substrings): the browser logs every 4xx answer as an error, so a case
    # that provokes a refusal names it.
    expected_console_errors = ()

    def setUp(self):
        self.b = BROWSER
        self.base = SERVER.base
        # A view re-renders when its answer arrives: an element found just before is then stale; look again.
        self.wait = WebDriverWait(self.b, 20, ignored_exceptions=(StaleElementReferenceException,))
        self.expected_console_errors = []
        self.b.get_log("browser")  # Drop what came before this case.

    def tearDown(self):
        errors = [e for e in self.b.get_log("browser") if e["level"] == "SEVERE"]
        unexpected = [e["message"] for e in errors
                      if not any(x in e["message"] for x in self.expected_console_errors)]
        self.assertEqual(unexpected, [], "the browser console logged errors")

    # --- helpers ---------------------------------------------------------------------------------------
    def open(self, path):
        self.b.get(self.base + path)
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.wait.until(lambda d: d.find_element(By.ID, "view").get_attribute("aria-busy") == "false")

    def css(self, selector):
        return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))

    def all(self, selector):
        return self.b.find_elements(By.CSS_SELECTOR, selector)

    def shot(self, name, scroll_to=None, tall=False):
        """A screenshot to SHOTS/name.png; `tall`: the window as high as the page (at most 3000 px)."""
        if not SHOTS:
            return
        if tall:
            self.b.set_window_size(1280, min(3000, 100 + self.b.execute_script(
                "return document.documentElement.scrollHeight")))
        if scroll_to is not None:
            self.b.execute_script("arguments[0].scrollIntoView({block: 'start'})", self.css(scroll_to))
        os.makedirs(SHOTS, exist_ok=True)
        self.b.save_screenshot(os.path.join(SHOTS, name + ".png"))
        if tall:
            self.b.set_window_size(1280, 900)

    def api(self, method, path, body=None, token=None):
        status, answer = call_json(self.base, method, path,
                                   json.dumps(body) if body is not None else None, token=token)
        self.assertEqual(status, 200, answer)
        return answer

    def sign_in(self, token):
        if self.b.find_element(By.ID, "sign-out").is_displayed():
            self.b.find_element(By.ID, "sign-out").click()
        self.css("#sign-in").click()
        field = self.css("#token-input")
        field.send_keys(token)
        field.send_keys(Keys.ENTER)
        self.css("#sign-out")
        self.wait.until(lambda d: d.find_element(By.ID, "view").get_attribute("aria-busy") == "false")

    def clipboard(self, expected):
        """The clipboard's text once the page has announced a copy of `expected`."""
        self.wait.until(lambda d: expected in d.find_element(By.ID, "status").text)
        return self.b.execute_async_script(
            "navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('error: ' + e))")

    def search(self, text):
        box = self.css("#q")
        box.clear()
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    # --- cases -----------------------------------------------------------------------------------------
    def test_00_every_interface_text_has_english_and_chinese(self):
        # A key with one text showed English in the Chinese interface ("1 issue" among Chinese words).
        source = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "web", "js", "i18n.js"),
                      encoding="utf-8").read()
        table = source[source.index("const STRINGS = {"):source.index("\n};", source.index("const STRINGS = {"))]
        literal = r"'(?:[^'\\]|\\.)*'"
        entries = re.findall(r"^  (%s): \[((?:\s*%s,?)*)\s*\]," % (literal, literal), table, re.M)
        self.assertGreater(len(entries), 100)
        self.assertEqual(len(entries), len(re.findall(r"^  '", table, re.M)), "an entry the pattern did not read")
        for key, texts in entries:
            found = re.findall(literal, texts)
            self.assertEqual(len(found), 2, "%s has %d texts, not [English, Chinese]" % (key, len(found)))
            self.assertRegex(found[1], r"[\u3000-\u9fff\uff00-\uffef]", "%s: its second text is not Chinese" % key)

    def test_01_search_in_traditional_script_finds_the_entry(self):
        self.open("/")
        self.search("三種心態")
        expected = self.api("GET", "/v1/terms:lookup?text=" + q("三種心態"))["entries"]
        self.assertTrue(expected)
        cards = self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results .card"))
        self.assertEqual(cards[0].find_element(By.CSS_SELECTOR, ".headword").text, expected[0]["zh"])
        self.assertEqual(cards[0].find_element(By.CSS_SELECTOR, ".en").text, expected[0]["en"])
        self.assertTrue(cards[0].find_elements(By.CSS_SELECTOR, ".badge.rendering-status-" +
                                               expected[0]["renderingStatus"][len("RENDERING_STATUS_"):].lower()))
        self.wait.until(lambda d: d.find_element(By.ID, "status").text.startswith("%d matching" % len(expected)))
        self.shot("search")
        cards[0].find_element(By.CSS_SELECTOR, ".headword").click()
        self.wait.until(EC.url_to_be(self.base + "/terms/" + expected[0]["id"]))
        self.assertEqual(self.css("#rendering").text, expected[0]["en"])

    def test_01b_results_are_filtered_by_collection_and_kind(self):
        # 六 begins terms of several kinds; each filter keeps exactly the entries of its kind / collection.
        suggested = self.api("GET", "/v1/terms:suggest?limit=50&prefix=" + q("六"))["suggestions"]
        everything = [x["entry"] for x in suggested]
        kinds = sorted({e["kind"] for e in everything})
        self.assertGreater(len(kinds), 1)
        for kind in kinds:
            self.open("/?q=%s&kind=%s" % (q("六"), kind))
            cards = self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results .card"))
            self.assertEqual(sorted(c.find_element(By.CSS_SELECTOR, ".headword").text for c in cards),
                             sorted(e["zh"] for e in everything if e["kind"] == kind), kind)
            self.assertEqual(Select(self.css("#kind")).first_selected_option.get_attribute("value"), kind)
        collection = everything[0]["collection"]
        self.open("/?q=%s&collection=%s" % (q("六"), q(collection)))
        cards = self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results .card"))
        self.assertEqual({c.find_element(By.CSS_SELECTOR, ".meta").text.split(" · ")[0] for c in cards}, {collection})

    def test_02_suggestions_appear_as_you_type_and_the_keyboard_opens_one(self):
        self.open("/")
        self.css("#q").send_keys("六")
        expected = self.api("GET", "/v1/terms:suggest?limit=8&prefix=" + q("六"))["suggestions"]
        self.assertTrue(expected)
        self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#suggestions [role=option]")) ==
                        len(expected))
        forms = [o.find_element(By.CSS_SELECTOR, ".form").text for o in self.all("#suggestions [role=option]")]
        self.assertEqual(forms, [s["form"] for s in expected])
        self.assertEqual(self.b.find_element(By.ID, "q").get_attribute("aria-expanded"), "true")
        self.shot("suggestions")
        box = self.b.find_element(By.ID, "q")
        box.send_keys(Keys.ARROW_DOWN)
        box.send_keys(Keys.ENTER)
        self.wait.until(EC.url_to_be(self.base + "/terms/" + expected[0]["entry"]["id"]))
        self.assertEqual(self.css("#headword").text, expected[0]["entry"]["zh"])

    def test_03_an_entry_page_by_its_url(self):
        entry = self.api("GET", "/v1/terms/liuwen")["entry"]
        self.open("/terms/liuwen")
        self.assertEqual(self.css("#headword").text, entry["zh"])
        self.assertEqual(self.css("#rendering").text, entry["en"])
        page = self.b.find_element(By.CSS_SELECTOR, "article.entry").text
        for part in entry["zhVariants"] + entry["enVariants"] + [entry["definitionZh"], entry["definitionEn"],
                                                                 entry["createdBy"]]:
            self.assertIn(part, page)
        if entry["source"]["url"]:
            link = self.b.find_element(By.CSS_SELECTOR, ".source a")
            self.assertEqual(link.get_attribute("href"), entry["source"]["url"])
        self.shot("entry")
        self.assertEqual(self.b.title, entry["zh"] + " — heluo")
        self.b.find_element(By.CSS_SELECTOR, "p.rendering button.copy").click()
        self.assertEqual(self.clipboard(entry["en"]), entry["en"])

    def test_04_a_report_paragraph_gets_its_terms_highlighted(self):
        text = report_paragraph(20, 6)
        hits = self.api("POST", "/v1/terms:recognize", {"text": text, "language": "LANGUAGE_ZH"})["hits"]
        self.assertGreater(len(hits), 2)
        self.open("/check")
        self.css("#check-source").send_keys(text)
        self.b.find_element(By.ID, "check-submit").click()
        self.css("#checked-source")
        marks = self.all("#checked-source mark.term")
        self.assertEqual(len(marks), len(hits))
        self.assertEqual([m.get_attribute("data-id") for m in marks], [x["entry"]["id"] for x in hits])
        # The rendering shows on focus (keyboard), not only on hover.
        tip = marks[0].find_element(By.CSS_SELECTOR, ".tip")
        self.assertFalse(tip.is_displayed())
        self.b.execute_script("arguments[0].focus()", marks[0])
        self.wait.until(lambda d: tip.is_displayed())
        self.assertEqual(tip.find_element(By.CSS_SELECTOR, ".other").text, hits[0]["entry"]["en"])
        status = hits[0]["entry"]["renderingStatus"][len("RENDERING_STATUS_"):].lower()  # In words, not only colour.
        self.assertTrue(tip.text.endswith(" · " + status), tip.text)
        self.wait.until(lambda d: "Recognised terms: %d" % len(hits) in d.find_element(By.ID, "status").text)
        self.shot("check", "#terms-heading")

    def test_05_a_tm_lookup_with_a_changed_figure_shows_the_diff_and_the_carried_figures(self):
        stored = self.api("GET", "/v1/segments/yanshi-2021-0056")["segment"]["source"]
        changed = stored.replace("227", "250")
        self.assertNotEqual(changed, stored)
        best = self.api("POST", "/v1/tm:lookup", {"text": changed, "maxResults": 3})["matches"][0]
        self.open("/check")
        self.css("#check-source").send_keys(changed)
        self.b.find_element(By.ID, "check-submit").click()
        match = self.css(".match")
        diffs = match.find_elements(By.CSS_SELECTOR, ".stored mark.diff")
        self.assertEqual(len(diffs), len([d for d in best["diffs"] if d["source"]["utf16End"]]))
        self.assertIn("227", [d.text for d in diffs])
        self.assertIn("250", [d.text for d in match.find_elements(By.CSS_SELECTOR, ".query mark.diff")])
        self.assertTrue(best["placeable"])
        self.assertIn(best["substitutedTarget"], match.find_element(By.CSS_SELECTOR, ".substituted").text)
        self.shot("tm-diff", ".sentences")

    def test_06_concordance_highlights_hits_and_shows_neighbours(self):
        expected = self.api("GET", "/v1/tm:concordance?side=source&limit=50&query=" + q("河长制"))["hits"]
        self.assertTrue(expected)
        self.open("/concordance")
        self.css("#conc-query").send_keys("河长制")
        Select(self.b.find_element(By.ID, "conc-side")).select_by_value("source")
        self.b.find_element(By.ID, "conc-query").send_keys(Keys.ENTER)
        self.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#conc-results li.pair")) == len(expected))
        first = self.all("#conc-results li.pair")[0]
        self.assertEqual([m.text for m in first.find_elements(By.CSS_SELECTOR, ".source mark.hit")],
                         ["河长制"] * len(expected[0]["sourceHighlights"]))
        first.find_element(By.TAG_NAME, "summary").click()
        seg = expected[0]["segment"]
        neighbour = seg["previousId"] or seg["nextId"]
        text = self.api("GET", "/v1/segments/" + neighbour)["segment"]["target"]
        self.wait.until(lambda d: text in first.find_element(By.CSS_SELECTOR, ".context").text)
        self.shot("concordance")

    def test_07_an_editor_changes_a_rendering_and_the_audit_fields_follow(self):
        before = self.api("GET", "/v1/terms/liuwen")["entry"]
        self.open("/terms/liuwen")
        self.sign_in(EDITOR)
        self.css("#edit").click()
        field = self.css("#field-en")
        field.clear()
        field.send_keys("stability in six areas")
        self.b.find_element(By.ID, "save").click()
        self.wait.until(lambda d: d.find_element(By.ID, "rendering").text == "stability in six areas")
        self.assertIn("editor-name", self.css(".entry-changed").text)
        after = self.api("GET", "/v1/terms/liuwen")["entry"]
        self.assertEqual(after["en"], "stability in six areas")
        self.assertEqual(after["changedBy"], "editor-name")
        # Only the changed field was sent (the update mask): everything else is as it was.
        for k in before:
            if k not in ("en", "changedBy", "changedAt"):
                self.assertEqual(after[k], before[k], k)
        self.assertIn(after["changedAt"], self.css(".entry-changed").text)
        self.shot("edited", "article.entry")
        # The later cases (and their screenshots) see the bundled rendering again.
        self.api("PUT", "/v1/terms/liuwen?updateMask=en", {"en": before["en"]}, token=EDITOR)

    def test_08_a_reader_token_is_refused_with_a_visible_message(self):
        before = self.api("GET", "/v1/terms/liuwen")["entry"]
        self.expected_console_errors.append("/v1/terms/liuwen?updateMask=en - Failed to load resource: "
                                            "the server responded with a status of 403")
        self.open("/terms/liuwen")
        self.sign_in(READER)
        self.css("#edit").click()
        field = self.css("#field-en")
        field.clear()
        field.send_keys("a reader's rendering")
        self.b.find_element(By.ID, "save").click()
        alert = self.css("#entry-message [role=alert]")
        self.assertIn("not allowed", alert.text)
        self.assertIn("reader", alert.text)
        self.assertEqual(self.api("GET", "/v1/terms/liuwen")["entry"], before)
        self.shot("reader-refused", "#entry-message")

    def test_09_a_malformed_tmx_dry_run_names_line_and_column_and_changes_nothing(self):
        segments = self.api("GET", "/v1/stats")["segments"]
        bad = os.path.join(WORK, "bad.tmx")
        with open(bad, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n<header srclang="zh-CN"/>\n'
                    '<body>\n<tu tuid="a"><tuv xml:lang="zh-CN"><seg>你好</seg></tuv>'
                    '<tuv xml:lang="en"><seg>Hello</seg></tuv></tu>\n'
                    '<tu tuid="b"><tuv xml:lang="zh-CN"><seg>坏的</seg></tuv><tuv xml:lang="en"><seg>broken</tuv></tu>\n'
                    '</body>\n</tmx>\n')
        with open(bad, "rb") as f:
            status, answer = call_json(self.base, "POST", "/v1/tm:import?dry_run=true", f.read(), token=EDITOR)
        self.assertEqual(status, 400)
        self.expected_console_errors.append("status of 400")
        self.open("/transfer")
        self.sign_in(EDITOR)
        Select(self.css("#import-target")).select_by_value("tm")
        self.b.find_element(By.ID, "import-file").send_keys(bad)
        self.b.find_element(By.ID, "dry-run").click()
        error = self.css("#import-error")
        self.assertIn(answer["error"]["message"], error.text)
        self.assertIn("line 6, column", error.text)
        self.assertFalse(self.b.find_element(By.ID, "commit").is_enabled())
        self.assertEqual(self.api("GET", "/v1/stats")["segments"], segments)
        self.shot("import-error")

    def test_10_a_good_import_is_checked_then_committed_and_exports_download(self):
        good = os.path.join(WORK, "good.tsv")
        with open(good, "w", encoding="utf-8") as f:
            f.write("网页测试词\tweb test term\tadded by the browser test\n")
        self.open("/transfer")
        self.sign_in(EDITOR)
        self.b.find_element(By.ID, "import-file").send_keys(good)
        self.b.find_element(By.ID, "import-collection").send_keys("web-test")
        self.b.find_element(By.ID, "dry-run").click()
        report = self.css("#import-report")
        self.assertEqual(report.find_element(By.CSS_SELECTOR, "td.created").text, "1")
        self.assertIn("dry-run", report.find_element(By.CSS_SELECTOR, "p").get_attribute("class"))
        self.assertEqual(self.api("GET", "/v1/terms:lookup?text=" + q("网页测试词"))["entries"], [])
        self.shot("import-dry-run")
        self.b.find_element(By.ID, "commit").click()
        self.wait.until(lambda d: "dry-run" not in d.find_element(By.CSS_SELECTOR, "#import-report p")
                        .get_attribute("class"))
        self.assertEqual(len(self.api("GET", "/v1/terms:lookup?text=" + q("网页测试词"))["entries"]), 1)
        self.assertEqual(self.b.find_element(By.ID, "import-progress").get_attribute("value"), "1")
        # Every export format downloads, under the server's file name, with the API's bytes.
        downloads = os.path.join(WORK, "downloads")
        for path, group in (("/v1/terms:export", 0), ("/v1/tm:export", 1)):
            for button in self.all(".exports")[group].find_elements(By.CSS_SELECTOR, "button.export"):
                fmt = button.get_attribute("data-format")
                status, headers, body = call(self.base, "GET", path + "?format=" + fmt)
                self.assertEqual(status, 200, fmt)
                name = re.search(r'filename="([^"]+)"', headers["Content-Disposition"]).group(1)
                if os.path.exists(os.path.join(downloads, name)):
                    os.remove(os.path.join(downloads, name))
                button.click()
                self.wait.until(lambda d: os.path.exists(os.path.join(downloads, name)) and
                                os.path.getsize(os.path.join(downloads, name)) == len(body))
                with open(os.path.join(downloads, name), "rb") as f:
                    self.assertEqual(f.read(), body, fmt)
                self.wait.until(lambda d: str(len(body)) in d.find_element(By.ID, "status").text)

    def test_11_stored_markup_renders_as_text(self):
        note = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> & <b>bold</b>'
        self.api("PUT", "/v1/terms/xss-test", {"collection": "web-test", "zh": "<i>跨站</i>测试",
                                                "en": "<img src=x onerror=alert(1)>", "note": note,
                                                "source": {"outlet": "x", "url": "javascript:alert(1)"}},
                 token=EDITOR)
        self.open("/terms/xss-test")
        self.assertEqual(self.css("#note").text, note)
        self.assertEqual(self.css("#headword").text, "<i>跨站</i>测试")
        self.assertEqual(self.css("#rendering").text, "<img src=x onerror=alert(1)>")
        self.assertEqual(self.all("article.entry img, article.entry script, article.entry i, article.entry b"), [])
        self.assertEqual(self.all(".source a"), [])  # A javascript: URL is not made a link.
        self.open("/?q=" + q("<i>跨站</i>测试"))
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results .card"))
        self.assertIsNone(self.b.execute_script("return window.__xss"))
        self.assertEqual(self.all("#results img, #results i"), [])
        self.shot("xss-as-text")

    def test_11b_an_editor_adds_an_entry_then_deletes_it_after_confirming(self):
        self.open("/")
        self.sign_in(EDITOR)
        self.css("#new").click()
        self.css("#field-id").send_keys("web-new-term")
        self.b.find_element(By.ID, "field-zh").send_keys("网页新词")
        self.b.find_element(By.ID, "field-en").send_keys("web new term")
        self.b.find_element(By.ID, "field-note").send_keys("made in the browser")
        self.b.find_element(By.ID, "save").click()
        self.wait.until(EC.url_to_be(self.base + "/terms/web-new-term"))
        self.assertEqual(self.css("#rendering").text, "web new term")
        stored = self.api("GET", "/v1/terms/web-new-term")["entry"]
        self.assertEqual((stored["zh"], stored["note"], stored["createdBy"]), ("网页新词", "made in the browser",
                                                                             "editor-name"))
        # Cancel keeps it; confirming deletes it.
        self.css("#delete").click()
        dialog = self.css("#delete-dialog")
        self.assertIn("网页新词", dialog.text)
        dialog.find_element(By.CSS_SELECTOR, "button[value=cancel]").click()
        self.wait.until(lambda d: not d.find_elements(By.ID, "delete-dialog"))
        self.api("GET", "/v1/terms/web-new-term")
        self.css("#delete").click()
        self.css("#confirm-delete").click()
        self.wait.until(EC.url_contains("/?deleted=web-new-term"))
        self.assertIn("web-new-term", self.css("[role=status].done").text)
        status, _ = call_json(self.base, "GET", "/v1/terms/web-new-term")
        self.assertEqual(status, 404)

    def test_11c_an_english_draft_gets_its_glossary_renderings_marked(self):
        entry = self.api("GET", "/v1/terms/liubao")["entry"]
        source, draft = "全面落实“六保”任务。", "We must ensure " + entry["en"] + " this year."
        hits = self.api("POST", "/v1/terms:recognize", {"text": draft, "language": "LANGUAGE_EN"})["hits"]
        self.assertTrue(hits)
        self.assertEqual(self.api("POST", "/v1/terms:check", {"source": source, "target": draft}), {"issues": []})
        self.check(source, draft)
        self.assertEqual([m.get_attribute("data-id") for m in self.all("#checked-target mark.term")],
                         [x["entry"]["id"] for x in hits])
        # A draft the check passes says so, and marks no issue.
        self.assertIn("no issues", self.css("#qa-heading").text)
        self.css("#qa-clean")
        self.assertEqual(self.all("mark.issue"), [])

    # --- the terminology check (CheckTerminology) ---------------------------------------------------
    def check(self, source, draft):
        """Pastes a text and its draft into the check view and waits for the answer."""
        self.open("/check")
        self.css("#check-source").send_keys(source)
        self.b.find_element(By.ID, "check-target").send_keys(draft)
        self.b.find_element(By.ID, "check-submit").click()
        self.css("#qa-heading")

    def marks_at(self, paragraph):
        """The issue marks of #checked-source or #checked-target as (UTF-16 offset in the text as shown,
        marked text, issue numbers), and the paragraph's text without the marks' numbers and tooltips
        (which must be the text pasted: the offsets are then offsets into it)."""
        return self.b.execute_script("""
            const p = document.getElementById(arguments[0]);
            const plain = (node) => { const c = node.cloneNode(true);
                                      c.querySelectorAll('sup.issue-no, .tip').forEach((e) => e.remove());
                                      return c; };
            const marks = [...p.querySelectorAll('mark.issue')].map((m, k) => {
              const c = plain(p);
              const mine = c.querySelectorAll('mark.issue')[k];
              mine.prepend('\u0001');
              return [c.textContent.indexOf('\u0001'), m.querySelector('.text').textContent, m.dataset.issues];
            });
            return [marks, plain(p).textContent];""", paragraph)

    def issue_item(self, number):
        return self.css("#qa-issue-%d" % number)

    def assert_issue_listed(self, issue, number, kind_words, severity_words):
        item = self.issue_item(number)
        self.assertEqual(item.find_element(By.CSS_SELECTOR, ".kind").text, kind_words)
        self.assertEqual(item.find_element(By.CSS_SELECTOR, ".badge.severity").text, severity_words)
        self.assertEqual(item.find_element(By.CSS_SELECTOR, ".message").text, issue["message"])
        shown = [li.find_element(By.CSS_SELECTOR, ".rendering").text for li in
                 item.find_elements(By.CSS_SELECTOR, "ul.expected li")]
        self.assertEqual(shown, issue["expected"])  # Preferred first, as the server orders them.
        if issue["expected"] and issue["termId"]:
            self.assertEqual(item.find_element(By.CSS_SELECTOR, "ul.expected li .badge").text, "preferred")
        return item

    def test_11d_a_report_sentence_whose_draft_drops_a_rendering_shows_the_missing_issue_in_place(self):
        # A report sentence as the bundled TM holds it, and its stored translation with the rendering of one
        # of its terms (六稳's, unless an earlier case changed that) dropped.
        hit = self.api("GET", "/v1/tm:concordance?side=source&limit=1&query=" + q("六稳"))["hits"][0]["segment"]
        source, target = hit["source"], hit["target"]
        hits = self.api("POST", "/v1/terms:recognize", {"text": source, "language": "LANGUAGE_ZH"})["hits"]
        candidates = [(x["entry"], r) for x in sorted(hits, key=lambda x: x["entry"]["id"] != "liuwen")
                      for r in [x["entry"]["en"]] + x["entry"]["enVariants"] if r.lower() in target.lower()]
        for term, used in candidates:  # The first whose dropped rendering leaves the term unrendered.
            draft = re.sub(re.escape(used), "a steady course", target, flags=re.I)
            issues = self.api("POST", "/v1/terms:check", {"source": source, "target": draft})["issues"]
            missing = [(n, i) for n, i in enumerate(issues, 1) if i["termId"] == term["id"]]
            if [i["kind"] for _, i in missing] == ["TERM_ISSUE_KIND_MISSING_RENDERING"]:
                break
        else:
            self.fail("no term of %s whose rendering can be dropped: %s" % (hit["id"], candidates))
        number, issue = missing[0]
        self.check(source, draft)
        self.assertEqual(len(self.all("#qa-issues > li")), len(issues))
        # On the Chinese side: the term, at the server's span.
        marks, shown = self.marks_at("checked-source")
        self.assertEqual(shown, source)
        span = issue["sourceSpan"]
        self.assertIn([span["utf16Begin"], issue["sourceText"], str(number)], marks)
        self.assertEqual(source[span["codePointBegin"]:span["codePointEnd"]], issue["sourceText"])
        # On the English side: nothing to mark (it is missing), so it is listed under the draft by number
        # with the rendering expected.
        ref = self.css("#qa-unplaced li[data-issue='%d']" % number)
        self.assertIn(issue["expected"][0], ref.text)
        self.assertIn("Not in the draft", self.css(".unplaced .label").text)
        self.assert_issue_listed(issue, number, "missing rendering", "error")
        # The mark tells what is wrong on keyboard focus.
        mark = next(m for m in self.all("#checked-source mark.issue") if m.get_attribute("data-issues") == str(number))
        self.assertEqual(mark.get_attribute("data-id"), term["id"])
        tip = mark.find_element(By.CSS_SELECTOR, ".tip")
        self.b.execute_script("arguments[0].focus()", mark)
        self.wait.until(lambda d: tip.is_displayed())
        self.assertIn("missing rendering (error)", tip.text)
        self.assertIn(issue["expected"][0], tip.text)
        self.shot("check-qa", "#terms-heading", tall=True)
        # The copy button puts the preferred rendering on the clipboard.
        self.issue_item(number).find_element(By.CSS_SELECTOR, "ul.expected li button.copy").click()
        self.assertEqual(self.clipboard(issue["expected"][0]), issue["expected"][0])

    def all_entries(self):
        entries, token = [], ""
        while True:
            page = self.api("GET", "/v1/terms?page_size=500" + ("&page_token=" + q(token) if token else ""))
            entries += page["entries"]
            token = page["nextPageToken"]
            if not token:
                return entries

    def test_11e_deprecated_and_forbidden_forms_are_shown_and_marked_in_a_draft(self):
        entries = self.all_entries()
        for field, cls in (("enDeprecated", "deprecated"), ("enForbidden", "forbidden")):
            entry = next(e for e in entries if e[field])  # The bundled glossary has both kinds.
            # The entry page lists each rendering with its status in words.
            self.open("/terms/" + entry["id"])
            items = self.all("ul.renderings.%s li" % cls)
            self.assertEqual([i.find_element(By.CSS_SELECTOR, "span[lang=en]").text for i in items], entry[field])
            for i in items:
                self.assertEqual(i.find_element(By.CSS_SELECTOR, ".badge." + cls).text, cls)
            self.shot("entry-" + cls, "ul.renderings." + cls)
            # So does a search result: the preferred rendering, then the others, each with its status.
            self.open("/?q=" + q(entry["zh"]))
            card = next(c for c in self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results .card"))
                        if c.find_element(By.CSS_SELECTOR, ".headword").get_attribute("href").endswith(
                            "/terms/" + entry["id"]))
            self.assertEqual(card.find_element(By.CSS_SELECTOR, ".rendering.preferred").text,
                             entry["en"] + " preferred")
            shown = [(li.get_attribute("class").split()[-1], li.find_element(By.CSS_SELECTOR, "span[lang=en]").text,
                      li.find_element(By.CSS_SELECTOR, ".badge").text)
                     for li in card.find_elements(By.CSS_SELECTOR, "ul.card-renderings li")]
            self.assertEqual(shown, [("admitted", r, "admitted") for r in entry["enVariants"]] +
                             [("deprecated", r, "deprecated") for r in entry["enDeprecated"]] +
                             [("forbidden", r, "forbidden") for r in entry["enForbidden"]])
            if cls == "deprecated":
                self.shot("search-statuses", "#results")
            # A draft using the form: the check marks it in the draft, at the server's span, as what it is.
            source, draft = entry["zh"] + "。", "We will pursue " + entry[field][0] + " this year."
            issues = self.api("POST", "/v1/terms:check", {"source": source, "target": draft})["issues"]
            kind = "TERM_ISSUE_KIND_%s_RENDERING" % cls.upper()
            number, issue = next((n, i) for n, i in enumerate(issues, 1) if i["kind"] == kind)
            self.check(source, draft)
            marks, shown_text = self.marks_at("checked-target")
            self.assertEqual(shown_text, draft)
            self.assertIn([issue["targetSpan"]["utf16Begin"], entry[field][0], str(number)], marks)
            mark = self.css("#checked-target mark.issue.%s-rendering" % cls)
            self.assertEqual(mark.get_attribute("data-kind"), cls + "-rendering")
            self.b.execute_script("arguments[0].focus()", mark)
            tip = mark.find_element(By.CSS_SELECTOR, ".tip")
            self.wait.until(lambda d: tip.is_displayed())
            self.assertIn("%s rendering (%s)" % (cls, "warning" if cls == "deprecated" else "error"), tip.text)
            self.assertIn(entry["en"], tip.text)
            self.assert_issue_listed(issue, number, cls + " rendering", "warning" if cls == "deprecated" else "error")
            self.shot("check-" + cls, "#terms-heading")

    def test_11f_spans_land_on_the_right_characters_after_non_bmp_and_full_width_text(self):
        # 𠮷 (U+20BB7) and 𝐀 (U+1D400) are two UTF-16 units each, ＧＤＰ full-width: a page that counted code
        # points, or worked on a folded copy, would mark the characters next to the right ones.
        source = "𠮷ＧＤＰ，扎实做好“六稳”工作，全面落实“六保”任务。"
        liuwen = self.api("GET", "/v1/terms/liuwen")["entry"]
        draft = "𝐀 ＧＤＰ: we ensured " + liuwen["enDeprecated"][0] + " and kept 六保."
        issues = self.api("POST", "/v1/terms:check", {"source": source, "target": draft})["issues"]
        kinds = sorted(i["kind"] for i in issues)
        self.assertEqual(kinds, ["TERM_ISSUE_KIND_DEPRECATED_RENDERING", "TERM_ISSUE_KIND_MISSING_RENDERING",
                                 "TERM_ISSUE_KIND_UNTRANSLATED"])
        self.check(source, draft)
        for side, text, span_name, what in (("checked-source", source, "sourceSpan", "sourceText"),
                                            ("checked-target", draft, "targetSpan", "found")):
            marks, shown = self.marks_at(side)
            self.assertEqual(shown, text)
            expected = [[i[span_name]["utf16Begin"], i[what], str(n)] for n, i in enumerate(issues, 1)
                        if span_name in i]
            self.assertEqual(marks, expected, side)
            units = text.encode("utf-16-le")
            for begin, piece, _ in marks:  # The piece is the text's at that offset, counted as JavaScript does.
                self.assertEqual(units[2 * begin:2 * begin + len(piece.encode("utf-16-le"))], piece.encode("utf-16-le"))
        self.shot("check-qa-non-bmp", "#terms-heading")

    def test_11g_markup_in_a_checked_text_and_in_the_issues_renders_as_text(self):
        self.api("PUT", "/v1/terms/xss-check", {"collection": "web-test", "zh": "跨站检查词",
                                                 "en": "<img src=x onerror=\"window.__xss = 3\">"}, token=EDITOR)
        source = "<script>window.__xss = 4</script>跨站检查词。"
        draft = "<img src=x onerror=\"window.__xss = 5\"> <b>nothing</b> 跨站"
        issues = self.api("POST", "/v1/terms:check", {"source": source, "target": draft})["issues"]
        self.assertTrue(any(i["termId"] == "xss-check" for i in issues))
        self.check(source, draft)
        self.assertEqual(self.marks_at("checked-source")[1], source)
        self.assertEqual(self.marks_at("checked-target")[1], draft)
        self.assertIn("<img src=x", self.css("#qa-issues").text)
        self.assertEqual(self.all("#check-results img, #check-results script, #check-results b"), [])
        self.assertIsNone(self.b.execute_script("return window.__xss"))
        self.api("DELETE", "/v1/terms/xss-check", token=EDITOR)

    def test_12_operators_page_shows_counts_and_method_figures(self):
        self.open("/ops")
        stats = self.api("GET", "/v1/stats")
        rows = self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#ops-collections tbody tr"))
        shown = {r.find_element(By.TAG_NAME, "th").text: r.find_elements(By.TAG_NAME, "td")[0].text for r in rows}
        self.assertEqual(shown, {c["name"]: c["terms"] for c in stats["collections"]})
        methods = [r.find_element(By.TAG_NAME, "th").text for r in self.all("#ops-methods tbody tr")]
        self.assertIn("/heluo.v1.Glossary/LookupTerm", methods)
        self.assertIn(stats["serverVersion"], self.b.find_element(By.CSS_SELECTOR, "dl.facts").text)
        self.shot("operators")

    def test_13_chinese_interface_phone_width_and_zoom(self):
        self.open("/terms/liuwen")
        self.css("#lang-switch").click()
        self.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "nav a[href='/']").text == "查询")
        self.assertEqual(self.b.execute_script("return document.documentElement.lang"), "zh-CN")
        self.assertEqual(self.css("#headword").text, self.api("GET", "/v1/terms/liuwen")["entry"]["zh"])
        source, draft = "𠮷ＧＤＰ，扎实做好“六稳”工作，全面落实“六保”任务。", "We ensured six stabilities and kept 六保."
        overflow = "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        try:
            # A phone (360 CSS px), and 1280 px at 400% zoom (320 CSS px): nothing wider than the screen.
            for width, zoom in ((360, 1), (1280, 4)):
                self.b.set_window_size(width, 900)
                self.b.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                       {"width": width // zoom, "height": 900 // zoom, "deviceScaleFactor": zoom,
                                        "mobile": zoom == 1})
                for path in ("/terms/liuwen", "/", "/?q=" + q("六稳"), "/check", "/concordance?q=" + q("河长制"),
                             "/transfer", "/ops"):
                    self.open(path)
                    self.assertLessEqual(self.b.execute_script(overflow), 0,
                                         "%s is wider than %d CSS px" % (path, width // zoom))
                self.open("/terms/liuwen")
                self.shot("phone-zh" if zoom == 1 else "zoom-400-zh")
                # The check view with the terminology check's issues, in Chinese, a mark's tooltip open.
                self.check(source, draft)
                self.assertIn("译稿术语检查", self.css("#qa-heading").text)
                self.assertIn("不推荐", self.css("#qa-issues").text)
                # Every mark's tooltip, shown on focus, stays on the screen.
                for mark in self.all("#check-results mark.issue, #check-results mark.term"):
                    self.b.execute_script("arguments[0].focus()", mark)
                    tip = mark.find_element(By.CSS_SELECTOR, ".tip")
                    self.wait.until(lambda d: tip.is_displayed())
                    left, right, screen = self.b.execute_script(
                        "const r = arguments[0].getBoundingClientRect();"
                        "return [r.left, r.right, document.documentElement.clientWidth];", tip)
                    self.assertTrue(0 <= left and right <= screen, "the tooltip of %s runs off the screen: %s"
                                    % (mark.text, (left, right, screen)))
                self.b.execute_script("arguments[0].focus()", self.css("#checked-target mark.issue"))
                self.assertLessEqual(self.b.execute_script(overflow), 0, "the check view is too wide")
                if zoom == 4:
                    self.shot("check-qa-zoom-400-zh")
        finally:
            self.b.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            self.b.set_window_size(1280, 900)
            self.b.find_element(By.ID, "lang-switch").click()

    def test_14_speed_from_the_performance_api(self):
        # HELUO_WEB_PERF_RUNS=N repeats page load and lookup N times and reports medians (docs/performance.md).
        loads, ready, lookups = [], [], []
        for i in range(int(os.environ.get("HELUO_WEB_PERF_RUNS", "1"))):
            self.open("/?run=%d" % i)
            nav = self.b.execute_script("const n = performance.getEntriesByType('navigation')[0];"
                                        "return [n.loadEventEnd - n.startTime, n.domContentLoadedEventEnd - n.startTime];")
            loads.append(nav[0])
            ready.append(nav[1])
            self.b.execute_script("performance.clearResourceTimings()")
            self.search("三種心態")
            self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results .card"))
            took = self.b.execute_script(
                "return performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/terms:lookup'))"
                ".map(e => e.responseEnd - e.startTime);")
            self.assertEqual(len(took), 1)
            lookups.append(took[0])
        median = lambda xs: round(sorted(xs)[len(xs) // 2], 1)
        PERF.update({"runs": len(loads), "page_load_ms_median": median(loads),
                     "dom_content_loaded_ms_median": median(ready), "lookup_ms_median": median(lookups),
                     "page_load_ms_first": round(loads[0], 1), "page_load_ms_max": round(max(loads), 1), "lookup_ms_max": round(max(lookups), 1)})
        print("\nperformance (ms):", json.dumps(PERF), file=sys.stderr)

    def test_15_the_page_and_its_assets_carry_a_strict_content_security_policy(self):
        for path in ("/", "/terms/liuwen", "/assets/js/main.js", "/assets/app.css"):
            status, headers, _ = call(self.base, "GET", path)
            self.assertEqual(status, 200, path)
            csp = headers["Content-Security-Policy"]
            self.assertIn("script-src 'self'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertNotIn("unsafe-eval", csp)
        self.assertEqual(call(self.base, "GET", "/assets/nothing.js")[0], 404)
        # A visit after the first takes the (versioned, immutable) assets from the browser's cache.
        self.open("/ops")
        fetched = self.b.execute_script("return performance.getEntriesByType('resource')"
                                        ".filter(e => e.name.includes('/assets/')).map(e => [e.name, e.transferSize])")
        self.assertGreater(len(fetched), 5)
        self.assertEqual([f for f in fetched if f[1] != 0], [])
        # No CDN, no font service: everything the page loaded came from heluo-server.
        names = self.b.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        self.assertEqual([n for n in names if not n.startswith(self.base + "/")], [])
        # The token never goes into a URL: every request the browser made is in the Resource Timing list.
        self.assertFalse([n for n in self.b.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)") if EDITOR in n or READER in n])
        self.assertNotIn(EDITOR, SERVER.log_text())

    def test_16_the_check_works_from_the_keyboard_alone(self):
        source, draft = "扎实做好“六稳”工作。", "We ensured six stabilities."
        issues = self.api("POST", "/v1/terms:check", {"source": source, "target": draft})["issues"]
        self.assertTrue(issues)
        self.open("/check")
        keys = ActionChains(self.b)
        # The view starts in the text box; Tab goes to the draft, then to Check; Enter checks.
        keys.send_keys(source).send_keys(Keys.TAB).send_keys(draft).send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
        self.css("#qa-heading")
        focused = lambda: self.b.switch_to.active_element
        self.assertEqual(focused().get_attribute("id"), "check-submit")
        # A screen reader hears a summary (the live region), not the whole text again.
        self.wait.until(lambda d: "Terminology check of the draft: %d issue" % len(issues)
                        in d.find_element(By.ID, "status").text)
        self.assertIsNone(self.b.find_element(By.ID, "check-results").get_attribute("aria-live"))
        # Tab reaches every mark (its tooltip shows), then each issue's copy buttons; Enter copies.
        seen = []
        for _ in range(40):
            ActionChains(self.b).send_keys(Keys.TAB).perform()
            el = focused()
            if el.tag_name == "mark":
                tip = el.find_element(By.CSS_SELECTOR, ".tip")
                self.assertTrue(tip.is_displayed(), el.text)
                seen.append(el.get_attribute("data-issues") or "term")
            elif "copy" in (el.get_attribute("class") or ""):
                break
        self.assertEqual(sorted(x for x in seen if x != "term"),
                         sorted(str(n) for n, i in enumerate(issues, 1) if "sourceSpan" in i) +
                         sorted(str(n) for n, i in enumerate(issues, 1) if "targetSpan" in i))
        self.assertEqual(focused().find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, ".rendering").text,
                         issues[0]["expected"][0])
        ActionChains(self.b).send_keys(Keys.ENTER).perform()
        self.assertEqual(self.clipboard(issues[0]["expected"][0]), issues[0]["expected"][0])
        # Enter on a mark in the draft goes to its issue in the list.
        mark = self.css("#checked-target mark.issue")
        self.b.execute_script("arguments[0].focus()", mark)
        ActionChains(self.b).send_keys(Keys.ENTER).perform()
        self.wait.until(lambda d: focused().get_attribute("id") ==
                        "qa-issue-" + mark.get_attribute("data-issues").split()[0])

    def test_17_every_control_has_a_name_in_the_accessibility_tree(self):
        # Chromium's own accessibility tree (the names a screen reader announces), for every view, with the
        # edit form open and the check's results shown.
        roles = {"textbox", "searchbox", "combobox", "button", "checkbox", "listbox", "link", "spinbutton",
                 "ComboBoxMenuButton", "ComboBoxSelect", "progressbar"}

        def unnamed():
            tree = self.b.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
            return [(n["role"]["value"], n.get("backendDOMNodeId")) for n in tree
                    if not n.get("ignored") and n.get("role", {}).get("value") in roles
                    and not (n.get("name") or {}).get("value", "").strip()]

        self.b.execute_cdp_cmd("Accessibility.enable", {})
        try:
            self.open("/terms/liuwen")
            self.sign_in(EDITOR)
            self.css("#edit").click()
            self.css("#field-en")
            self.assertEqual(unnamed(), [], "/terms/liuwen (editing)")
            for path in ("/?q=" + q("六稳"), "/concordance?q=" + q("河长制"), "/transfer", "/ops"):
                self.open(path)
                self.assertEqual(unnamed(), [], path)
            self.check("扎实做好“六稳”工作。", "We ensured six stabilities.")
            self.assertEqual(unnamed(), [], "/check")
        finally:
            self.b.execute_cdp_cmd("Accessibility.disable", {})
            self.b.find_element(By.ID, "sign-out").click()


    def test_18_status_and_issue_colours_meet_wcag_aa_contrast(self):
        # The colours that carry a status or an issue, as Chromium computes them: text against the nearest
        # opaque background at least 4.5:1 (WCAG 1.4.3), so they stay readable besides not being the only signal.
        contrast = """
            const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
                return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
            const background = (el) => { for (; el; el = el.parentElement) {
                const c = rgb(getComputedStyle(el).backgroundColor);
                if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
            return [...document.querySelectorAll(arguments[0])].filter((el) => el.offsetParent !== null).map((el) => {
              const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
              return [el.className || el.tagName, el.textContent.slice(0, 30),
                      (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; });"""
        checked = 0
        for path in ("search", "check"):
            if path == "search":
                self.open("/?q=" + q("黄河流域生态保护和高质量发展"))
                self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results .card"))
            else:
                self.check("𠮷ＧＤＰ，扎实做好“六稳”工作，全面落实“六保”任务。", "We ensured six stabilities and kept 六保.")
            found = self.b.execute_script(contrast, ".badge, .issue-no, mark.issue .text, mark.term, .hint, .meta, "
                                                    ".kind, dl.where dt, .unplaced li, .card-renderings span[lang]")
            self.assertGreater(len(found), 5, path)
            self.assertEqual([f for f in found if f[2] < 4.5], [], path)
            checked += len(found)
        print("\ncontrast checked on %d elements" % checked, file=sys.stderr)


if __name__ == "__main__":
    http_test.SERVER = sys.argv.pop(1)
    unittest.main(verbosity=2)
