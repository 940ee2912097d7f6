"""The sensors demo shows the leaks it simulates, and only those."""

import pytest

from territoria.sensors import demo
from territoria.sensors.models import Alert


@pytest.mark.django_db
def test_saint_amand_demo_raises_the_simulated_leaks_and_no_other(world):
    """The Gare district and the gymnasium leak; the Centre district raises nothing."""
    demo.load([world.saint_amand])
    leaks = sorted(
        (alert.kind, alert.device.name)
        for alert in Alert.objects.leaks().filter(collectivite=world.saint_amand)
    )
    assert leaks == [
        ("continuous_flow", "Gymnase municipal"),
        ("night_flow", "Débitmètre Secteur Gare"),
    ]
