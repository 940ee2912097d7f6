"""The idea box: proposing, supporting, commenting, answering and moderating."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from PIL import Image

from territoria.participation.enums import Visibility
from territoria.participation.models import Comment, Flag, Idea, Support
from tests.email_links import follow_signed_out
from tests.factories import make_user
from tests.participation.factories import make_idea


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Appareil canari"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_citizen_proposes_an_idea_with_a_photo_without_metadata(client, world):
    """The idea is published under the chosen name; the photo loses its EXIF data."""
    client.force_login(world.citizen)
    url = reverse("participation:idea_new", kwargs={"slug": "niort"})
    response = client.post(
        url,
        {
            "title": "Un composteur de quartier",
            "body": "Près de l'école.",
            "category": "environment",
            "place": "Square Henri-Georges",
            "author_name": "Camille",
            "image": SimpleUploadedFile("photo.jpg", _jpeg_with_exif(), "image/jpeg"),
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert (idea.collectivite, idea.author, idea.author_name) == (
        world.niort,
        world.citizen,
        "Camille",
    )
    with Image.open(idea.image.path) as stored:
        assert dict(stored.getexif()) == {}
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Proposée par Camille" in page
    assert world.citizen.email not in page


def test_visitors_must_sign_in_to_propose(client, world):
    """Proposing an idea needs an account."""
    response = client.get(reverse("participation:idea_new", kwargs={"slug": "niort"}))
    assert response.status_code == 302
    assert "/compte/connexion/" in response.url


def test_supporting_twice_counts_once(client, world):
    """A person supports an idea once."""
    idea = make_idea(world.niort, world.citizen)
    client.force_login(world.elu_niort)
    url = reverse("participation:idea_support", kwargs={"slug": "niort", "pk": idea.pk})
    client.post(url)
    client.post(url)
    assert Support.objects.filter(idea=idea).count() == 1


def test_an_idea_flagged_three_times_waits_for_moderation(client, world, settings):
    """After N flags from different people the idea is hidden pending review."""
    settings.PARTICIPATION_FLAGS_TO_HIDE = 3
    idea = make_idea(world.niort, world.citizen)
    url = reverse("participation:idea_flag", kwargs={"slug": "niort", "pk": idea.pk})
    for n in range(3):
        client.force_login(make_user(f"voisin{n}@exemple.fr"))
        client.post(url, {"reason": "propos injurieux"})
        client.post(url)  # a second flag by the same person does not count
    idea.refresh_from_db()
    assert Flag.objects.filter(idea=idea).count() == 3
    assert idea.visibility == Visibility.PENDING
    client.logout()
    assert client.get(idea.get_absolute_url()).status_code == 404
    listing = client.get(reverse("participation:ideas", kwargs={"slug": "niort"}))
    assert idea.title not in listing.content.decode()


def test_agents_moderate_in_bulk_and_restore(client, world):
    """An agent hides several contributions at once, then restores one."""
    ideas = [make_idea(world.niort, world.citizen, title=f"Idée {n}") for n in range(3)]
    comment = Comment.objects.create(idea=ideas[0], author=world.citizen, body="Spam")
    client.force_login(world.agent_niort)
    url = reverse("participation:moderation", kwargs={"slug": "niort"})
    client.post(
        url,
        {
            "ideas": [ideas[0].pk, ideas[1].pk],
            "comments": [comment.pk],
            "decision": "hide",
            "note": "Publicité",
        },
    )
    assert list(Idea.objects.order_by("pk").values_list("visibility", flat=True)) == [
        "hidden",
        "hidden",
        "visible",
    ]
    assert Comment.objects.get().visibility == "hidden"
    assert Idea.objects.get(pk=ideas[0].pk).moderation_note == "Publicité"
    client.post(url, {"ideas": [ideas[1].pk], "decision": "restore"})
    assert Idea.objects.get(pk=ideas[1].pk).visibility == "visible"


def test_hiding_an_author_hides_all_their_contributions(client, world):
    """ "Hide everything from this person" covers their ideas and comments."""
    spammer = make_user("spam@exemple.fr")
    make_idea(world.niort, spammer, title="Pub 1")
    other = make_idea(world.niort, world.citizen)
    Comment.objects.create(idea=other, author=spammer, body="Pub 2")
    client.force_login(world.agent_niort)
    client.post(
        reverse("participation:moderation", kwargs={"slug": "niort"}), {"author": spammer.pk}
    )
    assert Idea.objects.filter(author=spammer, visibility="hidden").count() == 1
    assert Comment.objects.filter(author=spammer, visibility="hidden").count() == 1
    assert Idea.objects.get(pk=other.pk).visibility == "visible"


def test_an_agent_answers_with_a_status(
    client, world, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The answer and its status are shown to everyone and mailed to the author."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    idea = make_idea(world.niort, world.citizen)
    client.force_login(world.agent_niort)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("participation:idea_answer", kwargs={"slug": "niort", "pk": idea.pk}),
            {"status": "study", "answer": "Le service espaces verts étudie le lieu."},
        )
    client.logout()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "À l&#x27;étude" in page
    assert "Le service espaces verts étudie le lieu." in page
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["citoyenne@exemple.fr"], "Niort a répondu à votre idée")
    ]
    assert "Statut : À l'étude" in mailoutbox[0].body
    assert idea.get_absolute_url() in follow_signed_out(client, mailoutbox[0].body)


def test_an_agent_of_another_town_cannot_answer(client, world):
    """An agent of Saint-Amand-Montrond cannot answer Niort's ideas."""
    idea = make_idea(world.niort, world.citizen)
    client.force_login(world.agent_saint_amand)
    response = client.post(
        reverse("participation:idea_answer", kwargs={"slug": "niort", "pk": idea.pk}),
        {"status": "accepted", "answer": "Oui"},
    )
    assert response.status_code == 404
    assert Idea.objects.get().status == "new"


def test_an_agent_turns_an_idea_into_a_project(client, world):
    """The idea becomes a project of an open budget, once, with its author's display name."""
    from territoria.participation.models import Project
    from tests.participation.factories import make_campaign

    idea = make_idea(world.niort, world.citizen, author_name="Camille")
    campaign = make_campaign(world.niort)
    client.force_login(world.agent_niort)
    url = reverse("participation:idea_to_project", kwargs={"slug": "niort", "pk": idea.pk})
    client.post(url, {"campaign": campaign.pk})
    client.post(url, {"campaign": campaign.pk})
    project = Project.objects.get()
    assert (project.campaign, project.idea, project.title, project.public_author) == (
        campaign,
        idea,
        "Des bancs au parc",
        "Camille",
    )
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Devenue un projet du budget participatif" in page
