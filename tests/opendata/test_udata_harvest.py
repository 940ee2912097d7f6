"""data.gouv.fr's own harvester (PyPI `udata`, installed by bin/test in its own virtualenv)
ingests the demo's catalogues whole, served by the production server on 127.0.0.1:
every dataset and file, with the titles, licences, periods and extents we publish."""

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, RDF

from territoria.opendata.demo import UPLOADS
from territoria.opendata.enums import LICENCE_URLS
from territoria.server import production_environment, server_command, stop
from territoria.territories.demo import DEMO_COMMUNES
from tests.serving import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("udata_harvest_driver.py")
HARVESTER = Path(
    os.environ.get("UDATA_HARVESTER_PYTHON") or ROOT / "var" / "udata-harvester" / "bin" / "python"
)
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
# Small pages, so that udata walks the instance catalogue's hydra pages.
PAGE_SIZE = 4
SLUGS = ["cc-coeur-de-france"] + [slug for _code, slug, _text in DEMO_COMMUNES]
# Our licences' values are data.gouv.fr's licence ids (lov2, odc-odbl).
LICENCE_IDS = {url: str(licence) for licence, url in LICENCE_URLS.items()}
# rdflib's JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def _harvester() -> Path:
    if not HARVESTER.exists():
        message = f"udata harvester missing ({HARVESTER}): bin/test installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return HARVESTER


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return response.read()


@pytest.fixture(scope="module")
def served(prepared_demo):
    """The demo, prepared once for the run as `territoria demo` does, served by the
    production server (catalogues need no static files), small catalogue pages so the
    harvester follows hydra:next."""
    harvester = _harvester()
    env, var_dir = prepared_demo
    env = env | {"OPENDATA_CATALOG_PAGE_SIZE": str(PAGE_SIZE)}
    port = free_port()
    with (var_dir / "server-udata.log").open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            server_command(host="127.0.0.1", port=port, workers=1),
            cwd=ROOT, env=production_environment(env), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for_port(process, port)
        yield f"http://127.0.0.1:{port}", harvester
    finally:
        stop(process)


@pytest.fixture(scope="module")
def harvested(served):
    """{catalogue URL: what udata stored}, each catalogue harvested twice into an empty
    store: the instance's in Turtle and JSON-LD, each collectivité's in Turtle."""
    url, harvester = served
    urls = [f"{url}/donnees/catalog.ttl", f"{url}/donnees/catalog.jsonld"]
    urls += [f"{url}/donnees/{slug}/catalog.ttl" for slug in SLUGS]
    run = subprocess.run(  # noqa: S603
        [str(harvester), str(DRIVER), *urls],
        capture_output=True, text=True, check=False, cwd=DRIVER.parent,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-4000:]
    report = json.loads(run.stdout)
    return {catalogue["url"]: catalogue for catalogue in report["catalogues"]}


def published(url: str) -> dict:
    """{identifier: what the catalogue says of the dataset}, all hydra pages followed."""
    datasets, page_url = {}, url
    fmt = "json-ld" if url.endswith(".jsonld") else "turtle"
    while page_url:
        graph = Graph().parse(data=_get(page_url).decode(), format=fmt)
        for node in graph.subjects(RDF.type, DCAT.Dataset):
            period = graph.value(node, DCTERMS.temporal)
            places = [graph.value(p, DCAT.bbox) for p in graph.objects(node, DCTERMS.spatial)]
            bboxes = [str(wkt) for wkt in places if wkt is not None]
            dists = graph.objects(node, DCAT.distribution)
            files = [graph.value(dist, DCAT.downloadURL) for dist in dists]
            datasets[str(graph.value(node, DCTERMS.identifier))] = {
                "title": str(graph.value(node, DCTERMS.title)),
                "license": LICENCE_IDS[str(graph.value(node, DCTERMS.license))],
                "temporal": [str(graph.value(period, DCAT.startDate)),
                             str(graph.value(period, DCAT.endDate))] if period else None,
                "spatial": _multipolygon(bboxes[0]) if bboxes else None,
                "files": sorted(str(f) for f in files),
            }  # fmt: skip
        view = graph.value(predicate=RDF.type, object=HYDRA.PartialCollectionView)
        following = graph.value(view, HYDRA.next)
        page_url = str(following) if following else None
    return datasets


def _multipolygon(wkt: str) -> dict:
    """The GeoJSON udata stores for our WKT bounding box."""
    ring = wkt.removeprefix("POLYGON((").removesuffix("))").split(",")
    points = [[float(x) for x in point.split()] for point in ring]
    return {"type": "MultiPolygon", "coordinates": [[points]]}


def test_every_item_of_every_catalogue_is_harvested_done(harvested):
    """Every dataset of the instance's and each collectivité's catalogue, harvested twice,
    ends `done`, with no error and no warning in udata's report, and no duplicate."""
    for url, catalogue in harvested.items():
        expected = published(url)
        for job in catalogue["jobs"]:
            assert job["status"] == "done", (url, job)
            assert job["errors"] == []
            assert sorted(item["remote_id"] for item in job["items"]) == sorted(expected)
            for item in job["items"]:
                assert item["status"] == "done", (url, item)
                assert item["errors"] == []
                assert not [log for log in item["logs"] if not log.startswith(("DEBUG", "INFO"))]
        assert sorted(d["identifier"] for d in catalogue["datasets"]) == sorted(expected)


def test_the_twenty_demo_datasets_are_all_harvested(harvested, served):
    """The instance's 10 published demo datasets are harvested, and each again through
    its own collectivité's catalogue: 20 records in all."""
    url = served[0]
    instance = {d["identifier"] for d in harvested[f"{url}/donnees/catalog.ttl"]["datasets"]}
    towns = [
        d["identifier"]
        for slug in SLUGS
        for d in harvested[f"{url}/donnees/{slug}/catalog.ttl"]["datasets"]
    ]
    assert len(instance) == 10
    assert sorted(towns) == sorted(instance)


def test_harvested_datasets_read_back_as_published(harvested):
    """udata reads each dataset's title, licence, period, extent and every file (URL,
    size) as the catalogue publishes them."""
    for url, catalogue in harvested.items():
        expected = published(url)
        for dataset in catalogue["datasets"]:
            ours = expected[dataset["identifier"]]
            assert dataset["title"] == ours["title"]
            assert dataset["license"] == ours["license"]
            assert dataset["temporal"] == ours["temporal"]
            assert dataset["spatial"] == ours["spatial"]
            assert sorted(r["url"] for r in dataset["resources"]) == ours["files"]
            assert all(r["filesize"] > 0 for r in dataset["resources"])
            assert dataset["uri"] == dataset["remote_url"]
            assert dataset["uri"].endswith(f"/jeux/{dataset['identifier'][9:]}/")


def test_demo_periods_and_extents_reach_data_gouv(harvested, served):
    """Agen's subsidies cover 2025 as declared; beach counts their days of measures;
    datasets without positions take their town's known extent."""
    datasets = {
        d["title"]: d for d in harvested[f"{served[0]}/donnees/agen/catalog.ttl"]["datasets"]
    }
    subsidies = UPLOADS["agen"][0][2]
    assert datasets[subsidies["title"]]["temporal"] == [
        subsidies["temporal_start"].isoformat(),
        subsidies["temporal_end"].isoformat(),
    ]
    equipment = datasets["Équipements collectifs (démonstration)"]["spatial"]
    assert equipment is not None
    assert datasets["Projets de services intelligents"]["spatial"] == equipment
    beach = harvested[f"{served[0]}/donnees/la-baule-escoublac/catalog.ttl"]["datasets"]
    counts = next(d for d in beach if d["title"].endswith("(comptages quotidiens)"))
    start, end = counts["temporal"]
    assert start < end


def test_turtle_and_json_ld_harvest_alike(harvested, served):
    """The instance catalogue in JSON-LD gives udata the same datasets as in Turtle."""

    def normalised(url):
        datasets = harvested[url]["datasets"]
        for dataset in datasets:
            dataset["resources"] = sorted(dataset["resources"], key=lambda r: r["url"])
        return sorted(datasets, key=lambda d: d["identifier"])

    url = served[0]
    turtle = normalised(f"{url}/donnees/catalog.ttl")
    assert normalised(f"{url}/donnees/catalog.jsonld") == turtle
