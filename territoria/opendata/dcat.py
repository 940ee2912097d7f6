"""The DCAT-AP 3 catalogue as an RDF graph (rdflib), with every property data.gouv.fr
reads, paged with Hydra. Plain data in: datasets with their resources, and the absolute
base URL of the instance."""

import datetime
import math

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from territoria.opendata.enums import FILE_TYPES, MEDIA_TYPES, Format, Frequency, Theme

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority"
IANA = "https://www.iana.org/assignments/media-types"
INSEE_COMMUNE = "http://id.insee.fr/geo/commune"

JSONLD_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "hydra": str(HYDRA),
    "skos": str(SKOS),
    "spdx": str(SPDX),
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


def _polygon(bbox: str) -> str:
    west, south, east, north = (float(x) for x in bbox.split(","))
    return f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"


def page_count(total: int, page_size: int) -> int:
    return max(1, math.ceil(total / page_size))


def catalog_graph(*, base: str, catalog_url: str, title: str, description: str,
                  publisher: dict, datasets: list, total: int, page: int,
                  page_size: int) -> Graph:  # fmt: skip
    """One page of the catalogue. `publisher` is {"uri", "name"}; each dataset carries
    its collectivité (publisher) and prefetched resources."""
    graph = Graph()
    _bind(graph)
    catalog = URIRef(catalog_url)
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
    graph.add((catalog, HYDRA.totalItems, Literal(total, datatype=XSD.nonNegativeInteger)))
    for dataset in datasets:
        node = _dataset(graph, base, dataset)
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


def _dataset(graph: Graph, base: str, dataset) -> URIRef:
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
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, _date(dataset.temporal_start)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, _date(dataset.temporal_end)))
        graph.add((node, DCTERMS.temporal, period))
    if dataset.bbox:
        place = BNode()
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, DCAT.bbox, Literal(_polygon(dataset.bbox), datatype=GSP.wktLiteral)))
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
    checksum = BNode()
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(resource.sha256, datatype=XSD.hexBinary)))
    graph.add((node, SPDX.checksum, checksum))
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
