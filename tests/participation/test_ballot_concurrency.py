"""Concurrent ballots on PostgreSQL: the campaign row lock and the unique constraint keep
one ballot per person whatever the timing."""

import datetime
import threading

from django.db import connection

import pytest

from territoria.accounts.actions import ActionError
from territoria.participation import budget_actions
from territoria.participation.enums import Channel
from territoria.participation.models import Ballot, Voter
from tests.participation.factories import voting_campaign

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="threads with their own connections need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_of_one_person_record_one_ballot(world):
    """Eight simultaneous submissions of the same person give one ballot, seven refusals."""
    campaign, projects, _ = voting_campaign(world.saint_amand, world.agent_saint_amand)
    digest = budget_actions.verify_census(campaign, "Martin", "Camille", datetime.date(1985, 4, 12))
    barrier = threading.Barrier(8)
    outcomes = []

    def submit():
        barrier.wait()
        try:
            budget_actions.cast_ballot(campaign, digest, Channel.CENSUS, [projects[2].pk])
            outcomes.append("ok")
        except ActionError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_voted"] * 7 + ["ok"]
    assert (Ballot.objects.count(), Voter.objects.count()) == (1, 1)
