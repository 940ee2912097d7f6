"""Portal pages: list with search and filters, dataset page with preview, chart and map,
downloads counted per month for agents."""

from django.urls import reverse
from django.utils.formats import date_format

import pytest

from territoria.opendata.models import DownloadCount


def _by_source(published, source):
    return next(d for d in published["datasets"] if d.source == source)


@pytest.mark.django_db
def test_list_shows_published_datasets_only(client, published):
    """The portal lists the 9 published datasets, never the unpublished one."""
    body = client.get(reverse("opendata:home")).content.decode()
    assert "9 jeux de données" in body
    assert "Brouillon canari" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "count"),
    [({"q": "Subventions"}, 1), ({"theme": "TRAN"}, 0), ({"format": "geojson"}, 3),
     ({"frequency": "MONTHLY"}, 9), ({"collectivite": "saint-amand-montrond"}, 9)],
    ids=["text_case", "theme_case", "located_case", "frequency_case", "collectivite_case"],
)  # fmt: skip
def test_list_filters(client, published, query, count):
    """Search and filters narrow the list."""
    response = client.get(reverse("opendata:home"), query)
    assert response.context["page"].paginator.count == count


@pytest.mark.django_db
def test_dataset_page_shows_preview_chart_and_map(client, world, published):
    """A located time series shows its preview table, an SVG chart and a map."""
    dataset = _by_source(published, "car_parks")
    assert dataset.summary["series"][0] == ["2025-06-01", 1.67]
    assert len(dataset.summary["series"]) == 10
    assert len(dataset.summary["map"]["features"]) == 10
    body = client.get(dataset.get_absolute_url()).content.decode()
    assert "<svg" in body
    assert "data-territoria-map" in body
    assert "Parking de la gare" in body
    assert "Téléchargements par mois" not in body


@pytest.mark.django_db
def test_unpublished_dataset_is_hidden_from_visitors(client, world, published):
    """An unpublished dataset answers 404 to a visitor and to another collectivité."""
    hidden = published["hidden"]
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(world.agent_niort)
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_downloads_are_counted_per_month_and_shown_to_agents(client, world, published):
    """Each download counts in its month; agents see the counts and export them."""
    dataset = _by_source(published, "budget")
    url = reverse(
        "opendata:download",
        kwargs={"slug": "saint-amand-montrond", "uid": dataset.uid, "fmt": "csv"},
    )
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv"
    assert DownloadCount.objects.get(dataset=dataset).count == 3
    client.force_login(world.agent_saint_amand)
    assert "Téléchargements par mois" in client.get(dataset.get_absolute_url()).content.decode()
    export = client.get(reverse("opendata:downloads_csv", kwargs={"slug": "saint-amand-montrond"}))
    lines = export.content.decode().splitlines()
    assert lines[0] == "mois,jeu_de_donnees_id,jeu_de_donnees,format,telechargements"
    assert lines[1].endswith(f",{dataset.uid},Jeu budget,csv,3")


@pytest.mark.django_db
def test_agent_publishes_a_dataset(client, world, published):
    """An agent publishes a draft: it enters the catalogue with an issued date."""
    hidden = published["hidden"]
    client.force_login(world.agent_saint_amand)
    url = reverse("opendata:publish", kwargs={"slug": "saint-amand-montrond", "uid": hidden.uid})
    assert client.post(url, {"published": "1"}).status_code == 302
    hidden.refresh_from_db()
    assert hidden.is_published and hidden.issued is not None
    assert str(hidden.uid) in client.get("/donnees/catalog.ttl").content.decode()


@pytest.mark.django_db
def test_another_collectivite_cannot_publish(client, world, published):
    """An agent of Niort cannot publish Saint-Amand-Montrond's draft."""
    hidden = published["hidden"]
    client.force_login(world.agent_niort)
    url = reverse("opendata:publish", kwargs={"slug": "saint-amand-montrond", "uid": hidden.uid})
    assert client.post(url, {"published": "1"}).status_code == 404
    hidden.refresh_from_db()
    assert hidden.is_published is False


@pytest.mark.django_db
def test_own_schemas_are_published(client):
    """Territoria's own Table Schemas are served as JSON; national ones are not copied."""
    response = client.get(reverse("opendata:schema", kwargs={"key": "territoria-signalements"}))
    assert response.json()["fields"][0]["name"] == "service_request_id"
    assert client.get("/donnees/schemas/scdl-subventions.json").status_code == 404


@pytest.mark.django_db
def test_the_period_reads_in_words_and_says_when_it_is_unknown(client, world, published):
    """A daily series shows the days it covers; an upload with no declared period says
    « non renseignée », not dashes."""
    series = _by_source(published, "car_parks")
    body = client.get(series.get_absolute_url()).content.decode()
    start, end = series.temporal_coverage()
    assert start and end
    assert f"du {date_format(start, 'j F Y')} au {date_format(end, 'j F Y')}" in body
    upload = next(d for d in published["datasets"] if d.title == "Subventions 2025")
    upload.temporal_start = upload.temporal_end = None
    upload.save(update_fields=["temporal_start", "temporal_end"])
    assert upload.temporal_coverage() == (None, None)
    body = client.get(upload.get_absolute_url()).content.decode()
    period = body.split("Période couverte")[1].split("</dd>")[0]
    assert "non renseignée" in period and "…" not in period
