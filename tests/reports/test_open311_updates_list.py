"""servicerequestupdates: a status change with a public message is listed, with its
status, in JSON and XML; the cached requests list shows it at once."""

import xml.etree.ElementTree as ET

from django.urls import reverse

import pytest

from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db

JURISDICTION = {"jurisdiction_id": "saint-amand-montrond"}


def _manage(report):
    return reverse(
        "reports:manage_detail",
        kwargs={"slug": report.collectivite.slug, "report_id": report.pk},
    )


def test_public_status_change_is_listed_in_both_formats(client, rw):
    """An agent's status change with a public message is an update with its status."""
    report = make_report(rw.lighting)
    before = client.get("/open311/v2/requests.json", JURISDICTION).json()
    assert before[0]["status"] == "open" and "status_notes" not in before[0]
    client.force_login(rw.world.agent_saint_amand)
    for status, text, public in [
        ("in_progress", "Intervention prévue mardi.", "1"),
        ("in_progress", "Note : l'ampoule est en commande.", "0"),
        ("resolved", "Ampoule changée.", "1"),
    ]:
        response = client.post(
            _manage(report), {"action": "update", "status": status, "text": text, "public": public}
        )
        assert response.status_code == 302
    client.logout()

    data = client.get("/open311/v2/servicerequestupdates.json", JURISDICTION).json()
    assert [(u["status"], u["description"], u["service_request_id"]) for u in data] == [
        ("FIXED", "Ampoule changée.", str(report.pk)),
        ("IN_PROGRESS", "Intervention prévue mardi.", str(report.pk)),
    ]
    root = ET.fromstring(client.get("/open311/v2/servicerequestupdates.xml", JURISDICTION).content)
    assert root.tag == "service_request_updates"
    assert [
        (node.find("status").text, node.find("description").text)
        for node in root.findall("request_update")
    ] == [("FIXED", "Ampoule changée."), ("IN_PROGRESS", "Intervention prévue mardi.")]

    after = client.get("/open311/v2/requests.json", JURISDICTION).json()
    assert (after[0]["status"], after[0]["status_notes"]) == ("closed", "Ampoule changée.")


def test_epci_update_is_listed_by_the_epci_and_by_the_commune(client, rw):
    """The EPCI's public message on a report made in a commune is listed by both."""
    from territoria.reports import handling

    report = make_report(rw.waste, commune=rw.world.saint_amand.commune)
    handling.change_status(
        report, rw.world.agent_cc, "acknowledged", text="Équipe propreté prévenue."
    )
    for jurisdiction in ("cc-coeur-de-france", "saint-amand-montrond"):
        data = client.get(
            "/open311/v2/servicerequestupdates.json", {"jurisdiction_id": jurisdiction}
        ).json()
        assert [(u["service_request_id"], u["status"], u["description"]) for u in data] == [
            (str(report.pk), "INVESTIGATING", "Équipe propreté prévenue.")
        ]


def test_a_message_keeps_the_status_the_report_had_when_it_was_written(client, rw):
    """A message sent while in progress stays IN_PROGRESS after the report is closed."""
    from territoria.reports import handling

    report = make_report(rw.lighting)
    agent = rw.world.agent_saint_amand
    handling.change_status(report, agent, "new", text="Merci, nous regardons.")
    handling.change_status(report, agent, "in_progress", public=False, text="Interne")
    handling.change_status(report, agent, "in_progress", text="Pièce commandée.")
    handling.change_status(report, agent, "resolved", text="Réparé.")
    data = client.get("/open311/v2/servicerequestupdates.json", JURISDICTION).json()
    assert [(u["status"], u["description"]) for u in data] == [
        ("FIXED", "Réparé."),
        ("IN_PROGRESS", "Pièce commandée."),
        ("OPEN", "Merci, nous regardons."),
    ]
