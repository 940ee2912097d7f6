"""TenantModel: one collectivité never sees another's private objects; an EPCI's members
read (never change) its communes' shared objects when a module allows it."""

from django.db import connection, models
from django.test.utils import isolate_apps

import pytest

from territoria.territories.tenancy import TenantModel


@pytest.fixture
def note_models(world):
    """Two private models made for this test: one kept to its collectivité, one whose
    shared objects the EPCI may read."""
    with isolate_apps("territoria.territories"):

        class PrivateNote(TenantModel):
            text = models.CharField(max_length=50)

            class Meta:
                app_label = "territories"

        class SharedNote(TenantModel):
            text = models.CharField(max_length=50)
            shared = models.BooleanField(default=False)
            visible_to_epci = True

            class Meta:
                app_label = "territories"

            @classmethod
            def shared_filter(cls):
                return {"shared": True}

        with connection.schema_editor() as editor:
            editor.create_model(PrivateNote)
            editor.create_model(SharedNote)
        yield PrivateNote, SharedNote
        with connection.schema_editor() as editor:
            editor.delete_model(PrivateNote)
            editor.delete_model(SharedNote)


def _texts(queryset):
    return sorted(queryset.values_list("text", flat=True))


@pytest.mark.django_db(transaction=True)
def test_each_collectivite_sees_only_its_own_private_objects(world, note_models):
    """visible_to() keeps Saint-Amand-Montrond's notes from Niort and from visitors."""
    PrivateNote, _shared = note_models
    PrivateNote.objects.create(collectivite=world.saint_amand, text="saint-amand")
    PrivateNote.objects.create(collectivite=world.niort, text="niort")
    assert _texts(PrivateNote.objects.visible_to(world.agent_saint_amand)) == ["saint-amand"]
    assert _texts(PrivateNote.objects.visible_to(world.elu_niort)) == ["niort"]
    assert _texts(PrivateNote.objects.visible_to(world.citizen)) == []
    assert _texts(PrivateNote.objects.visible_to(world.agent_cc)) == []
    assert _texts(PrivateNote.objects.visible_to(world.operator)) == ["niort", "saint-amand"]


@pytest.mark.django_db(transaction=True)
def test_epci_members_read_but_never_change_shared_objects_of_member_communes(world, note_models):
    """The CC's agent sees Saint-Amand-Montrond's shared notes (not its unshared ones, not
    Niort's), and may not change them."""
    _private, SharedNote = note_models
    shared = SharedNote.objects.create(collectivite=world.saint_amand, text="partagée", shared=True)
    unshared = SharedNote.objects.create(collectivite=world.saint_amand, text="interne")
    SharedNote.objects.create(collectivite=world.niort, text="niort", shared=True)
    assert _texts(SharedNote.objects.visible_to(world.agent_cc)) == ["partagée"]
    assert shared.get_abilities(world.agent_cc) == {"view": True, "change": False, "delete": False}
    assert unshared.get_abilities(world.agent_cc)["view"] is False
    assert _texts(SharedNote.objects.changeable_by(world.agent_cc)) == []
    assert shared.get_abilities(world.agent_saint_amand) == {
        "view": True,
        "change": True,
        "delete": False,
    }
    assert shared.get_abilities(world.admin_saint_amand)["delete"] is True
    assert shared.get_abilities(world.agent_niort)["view"] is False
