"""The shipped reference content: 70+ use cases on six axes, sourced figures, public
feedback, real open-source products; the load is idempotent."""

import datetime
import json
from collections import Counter
from io import StringIO

from django.core.management import call_command

import pytest

from territoria.catalogue import content
from territoria.catalogue.enums import Axis, FigureKind, LicenceKind, Moderation
from territoria.catalogue.models import Feedback, Figure, Solution, Tag, UseCase
from tests.factories import make_commune

pytestmark = pytest.mark.django_db
LOCALTIS = (
    "https://banquedesterritoires.fr/la-juxtaposition-des-smart-services-fait-elle-la-smart-city"
)


def make_reference_communes() -> None:
    """The communes the shipped feedback names, as a tiny stand-in for the COG import."""
    rows = json.loads((content.CONTENT_DIR / content.FEEDBACK).read_text(encoding="utf-8"))
    for row in rows:
        make_commune(row["insee"], row["commune"], population=row.get("population") or 10_000)


@pytest.fixture
def loaded():
    make_reference_communes()
    return content.load()


def test_shipped_content_has_seventy_use_cases_on_six_axes(loaded):
    """At least 70 use cases ship, and every axis has several."""
    assert loaded.counts["use_cases"].created == UseCase.objects.count()
    assert UseCase.objects.count() >= 70
    per_axis = Counter(UseCase.objects.values_list("axis", flat=True))
    assert set(per_axis) == set(Axis.values)
    assert min(per_axis.values()) >= 9


def test_every_published_figure_cites_a_title_and_an_address(loaded):
    """A figure that is not a hypothesis has a source title and URL and passes validation."""
    figures = list(Figure.objects.exclude(kind=FigureKind.HYPOTHESIS))
    assert len(figures) >= 40
    for figure in figures:
        assert figure.source_title, figure.label
        assert figure.source_url.startswith("https://"), figure.label
        figure.full_clean()


def test_every_hypothesis_explains_its_order_of_magnitude(loaded):
    """A hypothesis always carries the reasoning behind its range."""
    hypotheses = list(Figure.objects.filter(kind=FigureKind.HYPOTHESIS))
    assert hypotheses
    for figure in hypotheses:
        assert len(figure.note) > 40, figure.label
        figure.full_clean()


def test_every_source_address_is_listed_in_the_readme(loaded):
    """Each cited address appears in the data README's list of sources."""
    readme = (content.CONTENT_DIR / "README.md").read_text(encoding="utf-8")
    urls = set(Figure.objects.exclude(source_url="").values_list("source_url", flat=True))
    urls |= set(Feedback.objects.values_list("evidence_url", flat=True))
    assert urls
    assert sorted(url for url in urls if url not in readme) == []


def test_saint_amand_montrond_reports_35_percent_on_water_bills(loaded):
    """Saint-Amand-Montrond's leak sensors: 35% on water bills, per Localtis (19 Dec 2018)."""
    feedback = Feedback.objects.get(commune_id="18197", use_case__slug="capteurs-fuites-eau")
    assert feedback.status == Moderation.APPROVED
    assert feedback.value_after == "−35 %"
    assert feedback.population == 11_000
    assert feedback.evidence_url == LOCALTIS
    assert feedback.source_title.startswith("Localtis (Banque des Territoires)")
    assert "19 déc. 2018" in feedback.source_title
    figure = Figure.objects.get(use_case__slug="capteurs-fuites-eau", source_url=LOCALTIS)
    assert (figure.value_min, figure.value_max, figure.unit) == (35, 35, "percent")
    assert figure.source_date == datetime.date(2018, 12, 19)


def test_all_shipped_feedback_is_approved_and_sourced(loaded):
    """Feedback from the reference data is approved and carries its public source."""
    assert Feedback.objects.count() == loaded.counts["feedback"].created >= 15
    assert not Feedback.objects.exclude(status=Moderation.APPROVED).exists()
    assert not Feedback.objects.filter(evidence_url="").exists()
    assert not Feedback.objects.filter(source_title="").exists()


def test_open_source_solutions_are_real_approved_and_licensed(loaded):
    """Listed open-source products are real (not fictitious), approved, with licence and code."""
    solutions = list(Solution.objects.prefetch_related("use_cases"))
    assert len(solutions) >= 15
    for solution in solutions:
        assert not solution.is_fictitious
        assert solution.status == Moderation.APPROVED
        assert solution.licence_kind == LicenceKind.OPEN_SOURCE
        assert solution.licence_name and solution.code_url.startswith("https://")
        assert solution.use_cases.exists()
    fixmystreet = Solution.objects.get(slug="fixmystreet")
    assert list(fixmystreet.standards.values_list("slug", flat=True)) == ["open311"]


def test_prerequisites_and_standards_have_the_right_kind(loaded):
    """Use cases require prerequisite tags; solutions declare standard tags."""
    assert not Tag.objects.filter(use_cases__isnull=False, kind=Tag.Kind.STANDARD).exists()
    assert not Tag.objects.filter(solutions__isnull=False, kind=Tag.Kind.PREREQUISITE).exists()
    assert {"lorawan", "open311", "ngsi-ld", "dcat-ap", "schema-data-gouv", "rgaa", "ocpi",
            "gtfs", "netex"} <= set(Tag.objects.values_list("slug", flat=True))  # fmt: skip


def test_second_load_changes_nothing_and_says_so(loaded):
    """Loading again writes nothing, and the command says the catalogue was up to date."""
    figures = list(Figure.objects.order_by("pk").values_list("pk", flat=True))
    again = content.load()
    assert not again.changed
    assert again.counts["use_cases"].unchanged == UseCase.objects.count()
    assert list(Figure.objects.order_by("pk").values_list("pk", flat=True)) == figures
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "Rien n'a changé : le catalogue était déjà à jour." in out.getvalue()


def test_an_edited_use_case_is_updated_in_place(loaded, tmp_path):
    """A changed figure updates its use case; everything else stays unchanged."""
    for name in content.FILES:
        (tmp_path / name).write_text(
            (content.CONTENT_DIR / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    rows = json.loads((tmp_path / content.USE_CASES).read_text(encoding="utf-8"))
    rows[0]["figures"][1]["value_max"] = 320
    (tmp_path / content.USE_CASES).write_text(json.dumps(rows), encoding="utf-8")
    report = content.load(tmp_path)
    assert (report.counts["use_cases"].updated, report.counts["use_cases"].created) == (1, 0)
    assert report.counts["use_cases"].unchanged == len(rows) - 1
    assert Figure.objects.filter(use_case__slug=rows[0]["slug"], value_max=320).count() == 1
