"""Open data as portals reach it: a real host (`archivedesk serve --lan … --open-data`) on a
loopback address, harvested with the PyPI clients `sickle` (OAI-PMH, every record through the
resumption tokens) and `sruthi` (SRU 1.2). Every OAI-PMH answer validates with xmllint against
the OAI-PMH and Dublin Core schemas; no answer carries a name, an ID number or a wage amount of
the archive; the doors stay apart (the desks' and the peers' operations refuse a harvester); a
harvester over its rate is told to come back.

    python3 harvest.py path/to/archivedesk
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import warnings

import requests
import sruthi
import urllib3
from sickle import Sickle

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "schemas", "oai-pmh-oai_dc.xsd")
BINARY = ""
HOST = "127.0.0.14"
PASSWORD = "Qz8#open-data-test"
# A harvest takes a few dozen requests; the rate test then asks faster than this allows.
RATE = "2,100"

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
warnings.filterwarnings("ignore", category=ResourceWarning)


def run(*args):
    subprocess.run(
        [BINARY, *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ARCHIVEDESK_PASSWORD": PASSWORD},
    )


def start(data, *door_args):
    """A host serving `data`; answers the process and its printed lines by their first word."""
    process = subprocess.Popen(
        [BINARY, "--data-dir", data, "serve", "--lan", f"{HOST}:0", *door_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "ARCHIVEDESK_OPEN_DATA_RATE": RATE},
    )
    said = {}
    while "配对码" not in said:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the host stopped before it was ready: {said}")
        word, _, rest = line.strip().partition(" ")
        said[word] = rest
    return process, said


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)


def session():
    """A harvester's session. The host's certificate is its own (no authority signs it);
    harvesters accept it as IT set them up to, here by not checking it."""
    s = requests.Session()
    s.verify = False
    # Else REQUESTS_CA_BUNDLE, where set, would stand in for `verify`; and no proxy on loopback.
    s.trust_env = False
    return s


def validate(xml, what):
    checked = subprocess.run(
        ["xmllint", "--noout", "--nonet", "--schema", SCHEMA, "-"],
        input=xml.encode("utf-8"),
        capture_output=True,
    )
    if checked.returncode != 0:
        raise AssertionError(f"{what} does not validate: {checked.stderr.decode()[:2000]}\n{xml[:2000]}")


class Archive:
    """What the archive holds of people, read from its database: none of it may be published."""

    def __init__(self, data):
        db = sqlite3.connect(f"file:{os.path.join(data, 'archive.sqlite3')}?mode=ro", uri=True)
        rows = db.execute("SELECT name, name_norm, id_raw, id_key, wage_before, wage_after FROM entries").fetchall()
        db.close()
        self.names = {n for r in rows for n in r[:2] if n and len(n.replace("\u3000", "").strip()) >= 2}
        self.ids = {i for r in rows for i in r[2:4] if i and len(i) >= 15}
        amounts = set()
        for r in rows:
            for wage in r[4:6]:
                wage = (wage or "").strip()
                # A decimal amount as written; a whole one only where it cannot be a year or a count.
                if re.fullmatch(r"\d+\.\d+", wage) or (re.fullmatch(r"\d{3,}", wage) and not 1900 <= int(wage) <= 2100):
                    amounts.add(wage)
        self.amounts = amounts

    def assert_nothing_personal(self, test, text, what):
        for name in self.names:
            test.assertNotIn(name, text, f"a name in {what}")
        for number in re.findall(r"\d{15,}", text):
            test.fail(f"an ID-like number {number} in {what}")
        for id_number in self.ids:
            test.assertNotIn(id_number, text, f"an ID in {what}")
        # Amounts are looked for in what the records say (the protocol's own counts are numbers too).
        said = " ".join(re.findall(r"<dc:\w+>([^<]*)</dc:\w+>", text))
        for amount in self.amounts:
            test.assertIsNone(
                re.search(rf"(?<![\d.]){re.escape(amount)}(?![\d.])", said), f"the wage amount {amount} in {what}"
            )


class OpenData(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory(prefix="archivedesk-open-data-")
        cls.data = os.path.join(cls.work.name, "丙县档案")
        run("--data-dir", cls.data, "demo", "--entries", "300", "--no-images", "--json")
        run("--data-dir", cls.data, "init", "--name", "丙县档案馆")
        run("--data-dir", cls.data, "clerk", "add", "boss", "--name", "主管", "--role", "supervisor")
        cls.archive = Archive(cls.data)
        db = sqlite3.connect(os.path.join(cls.data, "archive.sqlite3"))
        cls.open_documents = db.execute(
            "SELECT COUNT(*) FROM documents WHERE access = 'open' AND superseded_at IS NULL"
        ).fetchone()[0]
        db.close()
        cls.host, said = start(
            cls.data, "--open-data", "--peer-door", f"{HOST}:0", "--open-data-email", "dangan@qingyuan.example.org"
        )
        cls.lan = said["地址"]
        cls.peer_door = said["跨馆地址"]
        cls.oai = f"https://{cls.lan}/oai"
        cls.sru = f"https://{cls.lan}/sru"
        assert said["开放数据"] == f"{cls.oai} {cls.sru}", said

    @classmethod
    def tearDownClass(cls):
        stop(cls.host)
        cls.work.cleanup()

    def get(self, url, **params):
        answer = session().get(url, params=params, timeout=30)
        self.assertEqual(answer.status_code, 200, answer.text)
        self.assertTrue(answer.headers["content-type"].startswith("text/xml"))
        return answer.text

    def test_every_record_is_harvested_through_the_resumption_tokens(self):
        sickle = Sickle(self.oai, verify=False, max_retries=0)
        records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
        self.assertGreater(self.open_documents, 100, "the demo should need more than one page")
        self.assertEqual(len(records), self.open_documents)
        identifiers = {r.header.identifier for r in records}
        self.assertEqual(len(identifiers), len(records), "a record came twice")
        for record in records:
            self.assertFalse(record.deleted)
            self.assertTrue(record.metadata["title"][0])
            self.assertEqual(record.metadata["rights"], ["开放"])
            self.assertEqual(len(record.header.setSpecs), 1)
        headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc"))
        self.assertEqual({h.identifier for h in headers}, identifiers)
        one = sickle.GetRecord(identifier=records[0].header.identifier, metadataPrefix="oai_dc")
        self.assertEqual(one.metadata, records[0].metadata)
        identify = sickle.Identify()
        self.assertEqual(identify.repositoryName, "丙县档案馆")
        self.assertEqual(identify.adminEmail, "dangan@qingyuan.example.org")
        self.assertEqual(identify.deletedRecord, "persistent")
        sets = {s.setSpec: s.setName for s in sickle.ListSets()}
        self.assertIn("退休审批", sets.values())
        in_a_set = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set=records[0].header.setSpecs[0]))
        self.assertTrue(0 < len(in_a_set) < len(records))
        self.assertEqual([f.metadataPrefix for f in sickle.ListMetadataFormats()], ["oai_dc"])

    def test_every_answer_validates_and_carries_nothing_personal(self):
        answers = {
            "Identify": self.get(self.oai, verb="Identify"),
            "ListSets": self.get(self.oai, verb="ListSets"),
            "ListMetadataFormats": self.get(self.oai, verb="ListMetadataFormats"),
        }
        page = self.get(self.oai, verb="ListRecords", metadataPrefix="oai_dc")
        pages = 0
        while True:
            pages += 1
            answers[f"ListRecords page {pages}"] = page
            token = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", page)
            if not token:
                break
            page = self.get(self.oai, verb="ListRecords", resumptionToken=token.group(1))
        self.assertGreater(pages, 1)
        identifier = re.search(r"<identifier>([^<]+)</identifier>", answers["ListRecords page 1"]).group(1)
        answers["GetRecord"] = self.get(self.oai, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
        answers["ListIdentifiers"] = self.get(self.oai, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2999-01-01")
        # The protocol's errors validate too.
        for params, code in [
            ({"verb": "Nope"}, "badVerb"),
            ({"verb": "ListRecords"}, "badArgument"),
            ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1998-07"}, "badArgument"),
            ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
            ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
            ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:y"}, "idDoesNotExist"),
            ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1990-01-01"}, "noRecordsMatch"),
        ]:
            answer = self.get(self.oai, **params)
            self.assertIn(f'<error code="{code}">', answer)
            answers[f"error {code}"] = answer
        posted = session().post(self.oai, data={"verb": "Identify"}, timeout=30)
        answers["Identify by POST"] = posted.text
        for what, xml in answers.items():
            validate(xml, what)
            self.archive.assert_nothing_personal(self, xml, what)

    def test_sru_finds_the_catalogue_and_no_person(self):
        client = sruthi.Client(url=self.sru, maximum_records=25, session=session())
        explained = client.explain()
        self.assertEqual(explained.sru_version, "1.2")
        self.assertEqual(explained.server["port"], int(self.lan.rsplit(":", 1)[1]))
        self.assertIn("dc", explained.index)
        found = client.searchretrieve(query='dc.title = "工资调整"')
        rows = list(found)
        self.assertEqual(len(rows), found.count)
        self.assertGreater(found.count, 25, "the records should come over more than one page")
        for row in rows:
            self.assertIn("工资调整", str(row["title"]))
        by_year = client.searchretrieve(query="dc.date = 1998 and cql.anywhere = 工资")
        self.assertGreater(by_year.count, 0)
        for row in list(by_year):
            self.assertTrue(str(row["date"]).startswith("1998"), row)
        for name in sorted(self.archive.names)[:20]:
            self.assertEqual(client.searchretrieve(query=f'cql.anywhere = "{name}"').count, 0, name)
        raw = self.get(self.sru, operation="searchRetrieve", version="1.2", query="cql.anywhere = 清源县", maximumRecords="100")
        self.archive.assert_nothing_personal(self, raw, "an SRU answer")
        with self.assertRaises(sruthi.errors.SruError):
            client.searchretrieve(query="dc.creator = 张").count
        # A query nested deeper than anyone types is refused, and the host answers on.
        deep = self.get(self.sru, operation="searchRetrieve", version="1.2", query="(" * 3000 + "a" + ")" * 3000)
        self.assertIn("info:srw/diagnostic/1/10", deep)
        self.get(self.oai, verb="Identify")

    def test_a_harvester_reaches_no_other_door(self):
        s = session()
        # The desks' operations want a desk's key: refused, and the connection closed.
        refused = s.post(f"https://{self.lan}/api/search", json={"text": "工资"}, timeout=30)
        self.assertEqual(refused.status_code, 403)
        self.assertNotIn("工资调整", refused.text)
        # The peers' door asks for an archive's key in the handshake: a harvester has none.
        with self.assertRaises(requests.exceptions.RequestException):
            s.post(f"https://{self.peer_door}/peer/v1/who_holds", json={}, timeout=30)
        # Plain HTTP gets nothing.
        with self.assertRaises(requests.exceptions.RequestException):
            session().get(f"http://{self.lan}/oai?verb=Identify", timeout=10)

    def test_zz_a_harvester_over_its_rate_is_told_to_come_back(self):
        statuses = [session().get(self.oai, params={"verb": "Identify"}, timeout=30) for _ in range(150)]
        slowed = [a for a in statuses if a.status_code == 503]
        self.assertTrue(slowed, "150 requests at once were all answered")
        self.assertTrue(all(int(a.headers["retry-after"]) > 0 for a in slowed))


class OpenDataOnItsOwnPort(unittest.TestCase):
    def test_its_own_port_answers_open_data_and_nothing_else(self):
        with tempfile.TemporaryDirectory(prefix="archivedesk-open-port-") as work:
            data = os.path.join(work, "丁县档案")
            run("--data-dir", data, "demo", "--entries", "60", "--no-images", "--json")
            run("--data-dir", data, "clerk", "add", "boss", "--name", "主管", "--role", "supervisor")
            host, said = start(data, "--open-data", f"{HOST}:0")
            try:
                own = said["开放数据"].split()[0].removeprefix("https://").removesuffix("/oai")
                self.assertNotEqual(own, said["地址"])
                answer = session().get(f"https://{own}/oai", params={"verb": "Identify"}, timeout=30)
                validate(answer.text, "Identify on its own port")
                self.assertEqual(session().post(f"https://{own}/api/search", json={}, timeout=30).status_code, 404)
                # The desks' port, with harvesters elsewhere, asks for a desk key in the handshake.
                with self.assertRaises(requests.exceptions.RequestException):
                    session().get(f"https://{said['地址']}/oai", params={"verb": "Identify"}, timeout=30)
            finally:
                stop(host)


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
