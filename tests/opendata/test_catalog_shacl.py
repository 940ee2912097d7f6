"""The DCAT-AP 3 catalogues: valid against the SHACL shapes, harvestable by data.gouv.fr."""

from pathlib import Path

from django.urls import reverse

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from territoria.opendata import actions
from territoria.opendata.enums import Source
from tests.opendata.factories import generated
from tests.standards import standard

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LO2 = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
STANDARDS = Path(__file__).resolve().parent / "shapes"
# rdflib's JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def shapes() -> Graph:
    graph = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        local = STANDARDS / name
        graph.parse(local if local.exists() else standard(f"dcat-ap-3.0.1/{name}"), format="turtle")
    return graph


DATASET_PROPERTIES = [
    DCTERMS.identifier, DCTERMS.title, DCTERMS.description, DCAT.keyword, DCAT.theme,
    DCTERMS.license, DCTERMS.accrualPeriodicity, DCTERMS.temporal, DCTERMS.spatial,
    DCAT.contactPoint, DCTERMS.conformsTo, DCTERMS.issued, DCTERMS.modified,
    DCAT.landingPage, DCAT.distribution,
]  # fmt: skip


def _graph(client, url, fmt):
    response = client.get(url)
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format=fmt)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "kwargs_case", "fmt"),
    [
        ("opendata:catalog", False, "turtle"),
        ("opendata:catalog", False, "json-ld"),
        ("opendata:collectivite_catalog", True, "turtle"),
        ("opendata:collectivite_catalog", True, "json-ld"),
    ],
    ids=["instance_ttl_case", "instance_jsonld_case", "collectivite_ttl_case",
         "collectivite_jsonld_case"],
)  # fmt: skip
def test_catalog_conforms_to_dcat_ap_shapes(client, world, published, url_name, kwargs_case, fmt):
    """Both catalogues, in Turtle and JSON-LD, conform to DCAT-AP 3.0.1 shapes + ranges."""
    ext = "ttl" if fmt == "turtle" else "jsonld"
    kwargs = {"fmt": ext} | ({"slug": world.saint_amand.slug} if kwargs_case else {})
    data = _graph(client, reverse(url_name, kwargs=kwargs), fmt)
    conforms, _report, text = validate(data, shacl_graph=shapes(), inference="none")
    assert conforms, text
    assert len(set(data.subjects(RDF.type, DCAT.Dataset))) == 9
    assert len(set(data.subjects(RDF.type, DCAT.Distribution))) >= 9 * 3


@pytest.mark.django_db
def test_catalog_has_every_property_data_gouv_reads(client, world, published):
    """Each dataset carries identifier, title, keywords, theme, licence, frequency,
    temporal and spatial coverage, contact, conformsTo, dates; each file a URL, format,
    media type, size and availability, and no checksum (udata cannot read DCAT-AP's);
    the catalogue its licence and latest modification."""
    data = _graph(client, "/donnees/catalog.ttl", "turtle")
    for dataset in data.subjects(RDF.type, DCAT.Dataset):
        for prop in DATASET_PROPERTIES:
            assert data.value(dataset, prop) is not None, (dataset, prop)
    for dist in data.subjects(RDF.type, DCAT.Distribution):
        for prop in (DCAT.downloadURL, DCAT.accessURL, DCTERMS.format, DCAT.mediaType,
                     DCAT.byteSize, DCATAP.availability):  # fmt: skip
            assert data.value(dist, prop) is not None, (dist, prop)
    assert not list(data.triples((None, SPDX.checksum, None)))
    licences = set(data.objects(None, DCTERMS.license))
    assert licences == {LO2}
    catalog = data.value(predicate=RDF.type, object=DCAT.Catalog)
    assert data.value(catalog, DCTERMS.license) == LO2
    latest = max(d.modified for d in published["datasets"])
    assert data.value(catalog, DCTERMS.modified).toPython() == latest.replace(microsecond=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "accept", "fmt"),
    [("/donnees/catalog.ttl", "", "turtle"), ("/donnees/catalog.jsonld", "", "json-ld"),
     ("/donnees/catalog", "application/ld+json", "json-ld"),
     ("/donnees/catalog", "text/turtle", "turtle"), ("/donnees/catalog", "*/*", "turtle")],
    ids=["ttl_case", "jsonld_case", "negotiated_jsonld_case", "negotiated_ttl_case",
         "negotiated_any_case"],
)  # fmt: skip
def test_catalog_has_one_iri_whatever_the_format(client, world, published, path, accept, fmt):
    """The catalogue node is /donnees/catalog in Turtle and JSON-LD alike, and that address
    answers in the format the Accept header asks for."""
    response = client.get(path, headers={"accept": accept} if accept else {})
    assert response.status_code == 200
    data = Graph().parse(data=response.content.decode(), format=fmt)
    catalogs = set(data.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == {URIRef("http://testserver/donnees/catalog")}
    assert len(set(data.objects(None, DCAT.dataset))) == 9


@pytest.mark.django_db
def test_identifier_stays_the_same_across_refreshes(client, world, published):
    """The dct:identifier of a dataset never changes when its files are regenerated."""
    dataset = published["datasets"][0]
    before = _graph(client, "/donnees/catalog.ttl", "turtle")
    actions.refresh_dataset(dataset)
    after = _graph(client, "/donnees/catalog.ttl", "turtle")
    node = URIRef(f"http://testserver{dataset.get_absolute_url()}")
    assert before.value(node, DCTERMS.identifier) == Literal(f"urn:uuid:{dataset.uid}")
    assert after.value(node, DCTERMS.identifier) == before.value(node, DCTERMS.identifier)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/donnees/catalog.ttl", "/donnees/catalog.jsonld", "/donnees/catalog",
            "/donnees/saint-amand-montrond/catalog.ttl",
            "/donnees/saint-amand-montrond/catalog.jsonld",
            "/donnees/saint-amand-montrond/catalog"],
    ids=["instance_ttl_case", "instance_jsonld_case", "instance_negotiated_case",
         "commune_ttl_case", "commune_jsonld_case", "commune_negotiated_case"],
)  # fmt: skip
def test_catalog_urls_answer_without_redirect(client, world, published, url):
    """GET and HEAD on a catalogue URL answer 200 directly, with an RDF content type."""
    for method in (client.get, client.head):
        response = method(url)
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] in {"text/turtle", "application/ld+json"}


@pytest.mark.django_db
def test_catalog_pages_follow_hydra_next_to_the_end(client, world, published, settings):
    """With pages of 4, the catalogue's 9 datasets come in 3 pages linked by hydra:next,
    each page a PartialCollectionView; the last page has no next; the unpublished
    dataset is in none."""
    settings.OPENDATA_CATALOG_PAGE_SIZE = 4
    url, seen, pages = "/donnees/catalog.ttl", set(), 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        data = Graph().parse(data=response.content.decode(), format="turtle")
        views = list(data.subjects(RDF.type, HYDRA.PartialCollectionView))
        assert len(views) == 1
        seen |= set(data.subjects(RDF.type, DCAT.Dataset))
        following = data.value(views[0], HYDRA.next)
        url = str(following).removeprefix("http://testserver") if following else None
        pages += 1
    assert pages == 3
    assert len(seen) == 9
    assert b"canari" not in client.get("/donnees/catalog.ttl?page=3").content
    assert client.get("/donnees/catalog.ttl?page=4").status_code == 404
    assert client.get("/donnees/catalog.ttl?page=zero").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/donnees/catalog.ttl", "/donnees/", "/donnees/saint-amand-montrond/"],
    ids=["catalog_case", "portal_case", "collectivite_case"],
)
def test_pages_issue_a_bounded_number_of_queries(
    client, published, url, django_assert_max_num_queries
):
    """The catalogue and the lists read all datasets in a fixed number of queries."""
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def _bbox(data, node):
    return [str(data.value(p, DCAT.bbox)) for p in data.objects(node, DCTERMS.spatial)
            if data.value(p, DCAT.bbox) is not None]  # fmt: skip


@pytest.mark.django_db
def test_dataset_without_positions_takes_its_towns_known_extent(client, world, published):
    """A dataset without positions (the subsidies) is placed on the box enclosing every
    located dataset its collectivité publishes, as a WKT polygon data.gouv.fr reads."""
    data = _graph(client, "/donnees/catalog.ttl", "turtle")
    subsidies = next(d for d in published["datasets"] if d.title == "Subventions 2025")
    boxes = [[float(x) for x in d.bbox.split(",")] for d in published["datasets"] if d.bbox]
    assert len(boxes) >= 2
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    node = URIRef(f"http://testserver{subsidies.get_absolute_url()}")
    assert _bbox(data, node) == [
        f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"
    ]


@pytest.mark.django_db
def test_daily_series_without_declared_period_covers_its_days(client, world, published):
    """Beach counts with no declared period cover their first to their last day of
    measures; a dataset with neither a period nor a series states none."""
    agent = world.agent_saint_amand
    counts = generated(agent, world.saint_amand, Source.PEOPLE_COUNTS,
                       temporal_start=None, temporal_end=None)  # fmt: skip
    roadmap = generated(agent, world.saint_amand, Source.ROADMAP,
                        temporal_start=None, temporal_end=None)  # fmt: skip
    days = sorted(day for day, _value in counts.summary["series"])
    assert len(days) == 10
    for dataset in (counts, roadmap):
        actions.set_published(agent, dataset, True)
    data = _graph(client, "/donnees/saint-amand-montrond/catalog.ttl", "turtle")
    period = data.value(URIRef(f"http://testserver{counts.get_absolute_url()}"), DCTERMS.temporal)
    assert str(data.value(period, DCAT.startDate)) == days[0]
    assert str(data.value(period, DCAT.endDate)) == days[-1]
    node = URIRef(f"http://testserver{roadmap.get_absolute_url()}")
    assert data.value(node, DCTERMS.temporal) is None
