"""The open-data JSON API (django-ninja router mounted in territoria/api.py): the
published datasets with their files, read-only and public."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Router, Schema
from ninja.responses import Status

from territoria.api_errors import ErrorOut, error
from territoria.opendata.models import Dataset

router = Router(tags=["Données ouvertes"])
MAX_LIMIT = 200


class ResourceOut(Schema):
    format: str
    url: str
    byte_size: int
    sha256: str


class DatasetOut(Schema):
    id: str = Field(description="Identifiant stable (dct:identifier), jamais modifié.")
    collectivite: str
    title: str
    description: str
    keywords: list[str]
    theme: str = Field(description="Code du vocabulaire européen data-theme.")
    licence: str = Field(description="Adresse de la licence.")
    frequency: str = Field(description="Code du vocabulaire européen frequency.")
    schema_url: str = Field(description="Schéma auquel les fichiers sont conformes.")
    modified: datetime | None = Field(description="Dernier changement des données.")
    page: str
    resources: list[ResourceOut]


def _out(request, dataset) -> dict:
    base = f"{request.scheme}://{request.get_host()}"
    return {
        "id": dataset.identifier,
        "collectivite": dataset.collectivite.slug,
        "title": dataset.title,
        "description": dataset.description,
        "keywords": dataset.keyword_list,
        "theme": dataset.theme,
        "licence": dataset.licence_url,
        "frequency": dataset.frequency,
        "schema_url": dataset.schema_info.url(base),
        "modified": dataset.modified,
        "page": base + dataset.get_absolute_url(),
        "resources": [
            {"format": r.format, "url": base + r.get_absolute_url(), "byte_size": r.byte_size,
             "sha256": r.sha256}
            for r in dataset.resources.all()
        ],
    }  # fmt: skip


@router.get("/jeux", response={200: list[DatasetOut], 400: ErrorOut}, url_name="opendata_datasets")
def list_datasets(request, collectivite: str = "", offset: int = 0, limit: int = 50):
    """Les jeux de données publiés, les plus récemment modifiés d'abord."""
    if offset < 0 or not 1 <= limit <= MAX_LIMIT:
        return error(400, "invalid_paging", f"offset ≥ 0 et limit entre 1 et {MAX_LIMIT}.")
    datasets = Dataset.objects.published().select_related("collectivite")
    if collectivite:
        datasets = datasets.filter(collectivite__slug=collectivite)
    datasets = datasets.prefetch_related("resources").order_by("-modified", "pk")
    return Status(200, [_out(request, d) for d in datasets[offset : offset + limit]])


@router.get("/jeux/{uid}", response={200: DatasetOut, 404: ErrorOut}, url_name="opendata_dataset")
def get_dataset(request, uid: UUID):
    """Un jeu de données publié, par son identifiant."""
    dataset = (
        Dataset.objects.published()
        .select_related("collectivite")
        .prefetch_related("resources")
        .filter(uid=uid)
        .first()
    )
    if dataset is None:
        return error(404, "not_found", "Aucun jeu de données publié avec cet identifiant.")
    return Status(200, _out(request, dataset))
