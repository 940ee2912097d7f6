"""The DCAT-AP 3 catalogue as an RDF graph (rdflib), with every property data.gouv.fr
reads, paged with Hydra. Plain data in: datasets with their resources, and the absolute
base URL of the instance. data.gouv.fr's own harvester (udata) ingests it whole: see
tests/opendata/test_udata_harvest.py."""

import datetime
import math

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from territoria.opendata.enums import (
    FILE_TYPES,
    LICENCE_URLS,
    MEDIA_TYPES,
    Format,
    Frequency,
    Licence,
    Theme,
)

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority"
IANA = "https://www.iana.org/assignments/media-types"
INSEE_COMMUNE = "http://id.insee.fr/geo/commune"
# Download addresses are built on the dataset's permanent identifier: they stay.
AVAILABILITY = f"{EU}/planned-availability/STABLE"

JSONLD_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "hydra": str(HYDRA),
    "skos": str(SKOS),
    "dcatap": str(DCATAP),
    "xsd": str(XSD),
    "gsp": str(GSP),
}


def _bind(graph: Graph) -> None:
    for prefix, ns in JSONLD_CONTEXT.items():
        graph.bind(prefix, ns)


def _date(value: datetime.datetime | datetime.date) -> Literal:
    if isinstance(value, datetime.datetime):
        return Literal(value.astimezone(datetime.UTC).replace(microsecond=0), datatype=XSD.dateTime)
    return Literal(value, datatype=XSD.date)


def _bounds(bbox: str) -> tuple[float, float, float, float]:
    west, south, east, north = (float(x) for x in bbox.split(","))
    return west, south, east, north


def _polygon(bbox: str) -> str:
    west, south, east, north = _bounds(bbox)
    return f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"


def extents(bboxes) -> dict:
    """{collectivité id: "west,south,east,north"}: the union of the bounding boxes of each
    collectivité's located datasets, from (collectivité id, bbox) pairs."""
    out = {}
    for collectivite_id, bbox in bboxes:
        box = _bounds(bbox)
        if collectivite_id in out:
            old = out[collectivite_id]
            box = (min(old[0], box[0]), min(old[1], box[1]),
                   max(old[2], box[2]), max(old[3], box[3]))  # fmt: skip
        out[collectivite_id] = box
    return {key: ",".join(f"{x:g}" for x in box) for key, box in out.items()}


def page_count(total: int, page_size: int) -> int:
    return max(1, math.ceil(total / page_size))


def catalog_graph(*, base: str, catalog_iri: str, catalog_url: str, title: str,
                  description: str, publisher: dict, datasets: list, total: int, page: int,
                  page_size: int, modified=None, extents: dict | None = None) -> Graph:  # fmt: skip
    """One page of the catalogue. `catalog_iri` names the catalogue whatever the format,
    `catalog_url` is this format's address, which the pages hang on. `publisher` is
    {"uri", "name"}; each dataset carries its collectivité (publisher) and prefetched
    resources; `modified` is the latest change of any of the catalogue's datasets;
    `extents` maps a collectivité id to the bbox its datasets without one fall back to."""
    graph = Graph()
    _bind(graph)
    catalog = URIRef(catalog_iri)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, RDF.type, HYDRA.Collection))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="fr")))
    graph.add((catalog, DCTERMS.description, Literal(description, lang="fr")))
    graph.add((catalog, DCTERMS.language, URIRef(f"{EU}/language/FRA")))
    graph.add((URIRef(f"{EU}/language/FRA"), RDF.type, DCTERMS.LinguisticSystem))
    home = URIRef(f"{base}/donnees/")
    graph.add((catalog, FOAF.homepage, home))
    graph.add((home, RDF.type, FOAF.Document))
    graph.add((catalog, DCTERMS.publisher, _agent(graph, publisher)))
    # The catalogue's own description is open under the Licence Ouverte.
    licence = _typed(graph, LICENCE_URLS[Licence.LO2], DCTERMS.LicenseDocument)
    graph.add((catalog, DCTERMS.license, licence))
    if modified:
        graph.add((catalog, DCTERMS.modified, _date(modified)))
    graph.add((catalog, HYDRA.totalItems, Literal(total, datatype=XSD.nonNegativeInteger)))
    for dataset in datasets:
        extent = (extents or {}).get(dataset.collectivite_id)
        node = _dataset(graph, base, dataset, extent)
        graph.add((catalog, DCAT.dataset, node))
    pages = page_count(total, page_size)
    view = URIRef(f"{catalog_url}?page={page}")
    graph.add((catalog, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, URIRef(f"{catalog_url}?page=1")))
    graph.add((view, HYDRA.last, URIRef(f"{catalog_url}?page={pages}")))
    if page < pages:
        graph.add((view, HYDRA.next, URIRef(f"{catalog_url}?page={page + 1}")))
    if page > 1:
        graph.add((view, HYDRA.previous, URIRef(f"{catalog_url}?page={page - 1}")))
    return graph


def _agent(graph: Graph, agent: dict) -> URIRef:
    node = URIRef(agent["uri"])
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(agent["name"], lang="fr")))
    return node


def _typed(graph: Graph, iri: str, kind) -> URIRef:
    """An external IRI with its class stated inline (DCAT-AP range shapes check it
    without fetching the vocabulary)."""
    node = URIRef(iri)
    graph.add((node, RDF.type, kind))
    return node


def dataset_uri(base: str, dataset) -> str:
    return f"{base}{dataset.get_absolute_url()}"


def _dataset(graph: Graph, base: str, dataset, extent: str | None = None) -> URIRef:
    uri = dataset_uri(base, dataset)
    node = URIRef(uri)
    collectivite = dataset.collectivite
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(dataset.identifier)))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang="fr")))
    graph.add((node, DCTERMS.description, Literal(dataset.description, lang="fr")))
    for keyword in dataset.keyword_list:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="fr")))
    theme = Theme(dataset.theme)
    theme_node = _typed(graph, theme.iri, SKOS.Concept)
    graph.add((theme_node, SKOS.prefLabel, Literal(str(theme.label), lang="fr")))
    graph.add((node, DCAT.theme, theme_node))
    publisher = _agent(graph, publisher_of(base, collectivite))
    graph.add((node, DCTERMS.publisher, publisher))
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(dataset.contact_name)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    graph.add((node, DCAT.contactPoint, contact))
    if dataset.issued:
        graph.add((node, DCTERMS.issued, _date(dataset.issued)))
    if dataset.modified:
        graph.add((node, DCTERMS.modified, _date(dataset.modified)))
    frequency = _typed(graph, Frequency(dataset.frequency).iri, DCTERMS.Frequency)
    graph.add((node, DCTERMS.accrualPeriodicity, frequency))
    start, end = dataset.temporal_coverage()
    if start or end:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if start:
            graph.add((period, DCAT.startDate, _date(start)))
        if end:
            graph.add((period, DCAT.endDate, _date(end)))
        graph.add((node, DCTERMS.temporal, period))
    if bbox := dataset.bbox or extent:
        place = BNode()
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, DCAT.bbox, Literal(_polygon(bbox), datatype=GSP.wktLiteral)))
        graph.add((node, DCTERMS.spatial, place))
    if collectivite.commune_id:
        commune = _typed(graph, f"{INSEE_COMMUNE}/{collectivite.commune_id}", DCTERMS.Location)
        graph.add((node, DCTERMS.spatial, commune))
    graph.add((node, DCAT.landingPage, _typed(graph, uri, FOAF.Document)))
    graph.add((node, RDF.type, FOAF.Document))
    schema = _typed(graph, dataset.schema_info.url(base), DCTERMS.Standard)
    graph.add((node, DCTERMS.conformsTo, schema))
    licence = _typed(graph, dataset.licence_url, DCTERMS.LicenseDocument)
    graph.add((node, DCTERMS.license, licence))
    for resource in dataset.resources.all():
        graph.add((node, DCAT.distribution, _distribution(graph, base, dataset, resource,
                                                           schema, licence)))  # fmt: skip
    return node


def _distribution(graph, base, dataset, resource, schema, licence) -> URIRef:
    fmt = Format(resource.format)
    url = f"{base}{resource.get_absolute_url()}"
    node = URIRef(f"{dataset_uri(base, dataset)}#{fmt.value}")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.identifier, Literal(f"{dataset.identifier}:{fmt.value}")))
    graph.add((node, DCTERMS.title, Literal(resource.filename)))
    graph.add((node, DCTERMS.description,
               Literal(f"{dataset.title} ({fmt.label})", lang="fr")))  # fmt: skip
    graph.add((node, DCAT.accessURL, URIRef(url)))
    graph.add((node, DCAT.downloadURL, URIRef(url)))
    graph.add((node, DCTERMS.format, _typed(graph, f"{EU}/file-type/{FILE_TYPES[fmt]}",
                                            DCTERMS.MediaTypeOrExtent)))  # fmt: skip
    graph.add((node, DCAT.mediaType,
               _typed(graph, f"{IANA}/{MEDIA_TYPES[fmt]}", DCTERMS.MediaType)))  # fmt: skip
    graph.add((node, DCAT.byteSize, Literal(resource.byte_size, datatype=XSD.nonNegativeInteger)))
    # No spdx:checksum: DCAT-AP types its value xsd:hexBinary, which udata 17 reads as
    # bytes and rejects with the whole dataset; the SHA-256 is in each download's Digest.
    availability = _typed(graph, AVAILABILITY, SKOS.Concept)
    graph.add((availability, SKOS.prefLabel, Literal("stable", lang="fr")))
    graph.add((node, DCATAP.availability, availability))
    graph.add((node, DCTERMS.license, licence))
    graph.add((node, DCTERMS.conformsTo, schema))
    graph.add((node, DCTERMS.modified, _date(dataset.modified or resource.generated_at)))
    return node


def publisher_of(base: str, collectivite) -> dict:
    return {"uri": f"{base}{collectivite.get_absolute_url()}", "name": collectivite.name}


def serialize(graph: Graph, fmt: str) -> str:
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    return graph.serialize(format="turtle")
